// Access-code hashing without a database: RFC 7914 vectors for the KDFs, the
// hash string format, verification, normalisation, tampering, generation.
#include "db/code_hash.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <vector>

namespace turnd::db {
namespace {

std::string hex(std::span<const std::byte> data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::byte b : data) {
    out += kHex[std::to_integer<unsigned>(b) >> 4];
    out += kHex[std::to_integer<unsigned>(b) & 0xf];
  }
  return out;
}

std::span<const std::byte> bytes(std::string_view text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

// RFC 7914 §12 (scrypt) and §11 (PBKDF2-HMAC-SHA256).
TEST(CodeHashKdf, ScryptRfc7914Vectors) {
  std::vector<std::byte> out(64);
  ASSERT_TRUE(scrypt("", bytes(""), 16, 1, 1, out));
  EXPECT_EQ(hex(out),
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
  ASSERT_TRUE(scrypt("password", bytes("NaCl"), 1024, 8, 16, out));
  EXPECT_EQ(hex(out),
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

TEST(CodeHashKdf, Pbkdf2Sha256Rfc7914Vectors) {
  std::vector<std::byte> out(64);
  ASSERT_TRUE(pbkdf2_sha256("passwd", bytes("salt"), 1, out));
  EXPECT_EQ(hex(out),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
            "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
  ASSERT_TRUE(pbkdf2_sha256("Password", bytes("NaCl"), 80000, out));
  EXPECT_EQ(hex(out),
            "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
            "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
}

TEST(CodeHash, ScryptHashStringCarriesParametersAndSalt) {
  std::string hash = hash_code("k7pm-2qxd-9hfa-wr3e");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(
      hash, m,
      std::regex(R"(\$scrypt\$N=32768,r=8,p=1\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43}))")))
      << hash;
  EXPECT_TRUE(verify_code("k7pm-2qxd-9hfa-wr3e", hash));
  EXPECT_FALSE(verify_code("k7pm-2qxd-9hfa-wr3f", hash));
  EXPECT_FALSE(verify_code("", hash));
}

TEST(CodeHash, HashNeverContainsTheCode) {
  const std::string code = "abcdefghjk";
  std::string hash = hash_code(code);
  EXPECT_EQ(hash.find(code), std::string::npos);
  EXPECT_EQ(hash.find("abcde"), std::string::npos);
}

TEST(CodeHash, EachHashHasItsOwnSalt) {
  std::string a = hash_code("same-code-2468");
  std::string b = hash_code("same-code-2468");
  EXPECT_NE(a, b);
  EXPECT_TRUE(verify_code("same-code-2468", a));
  EXPECT_TRUE(verify_code("same-code-2468", b));
}

TEST(CodeHash, CodesAreComparedNormalised) {
  std::string hash = hash_code("K7PM-2QXD-9HFA-WR3E");
  EXPECT_TRUE(verify_code("k7pm2qxd9hfawr3e", hash));
  EXPECT_TRUE(verify_code(" k7pm 2qxd 9hfa wr3e ", hash));
  EXPECT_FALSE(verify_code("k7pm2qxd9hfawr3", hash));
  EXPECT_EQ(normalize_code("Ab-C d\t"), "abcd");
}

TEST(CodeHash, Pbkdf2HashesVerify) {
  CodeHashParams params;
  params.algorithm = CodeAlgorithm::kPbkdf2Sha256;
  std::string hash = hash_code("a-pbkdf2-code", params);
  EXPECT_TRUE(hash.starts_with("$pbkdf2-sha256$i=600000$")) << hash;
  EXPECT_TRUE(verify_code("a-pbkdf2-code", hash));
  EXPECT_FALSE(verify_code("another-code", hash));
}

TEST(CodeHash, MalformedOrTamperedHashesNeverVerify) {
  std::string good = hash_code("the-right-code");
  auto fields_from = [&](int n) {  // the part of `good` after its n-th '$'
    size_t at = 0;
    for (int i = 0; i < n; ++i) at = good.find('$', at) + 1;
    return good.substr(at);
  };
  std::string salt_and_hash = fields_from(3);
  for (const std::string& bad : std::vector<std::string>{
           "", "$", "$scrypt$", "plain-text", good.substr(0, good.size() - 4), good + "$extra",
           "$md5$N=16$" + salt_and_hash,
           // Parameters a tampered row could use to make turnd allocate gigabytes or spin.
           "$scrypt$N=1073741824,r=8,p=1$" + salt_and_hash,
           "$scrypt$N=32768,r=8,p=1000$" + salt_and_hash,
           "$scrypt$N=30000,r=8,p=1$" + salt_and_hash,  // not a power of two
           "$scrypt$r=8,p=1$" + salt_and_hash, "$pbkdf2-sha256$i=4000000000$" + salt_and_hash,
           "$pbkdf2-sha256$i=1$" + salt_and_hash,
           "$scrypt$N=32768,r=8,p=1$!!!$" + fields_from(4)}) {
    EXPECT_FALSE(verify_code("the-right-code", bad)) << bad;
  }
  EXPECT_TRUE(verify_code("the-right-code", good));
}

TEST(CodeHash, GeneratedCodesAreStrongAndDistinct) {
  std::set<std::string> seen;
  std::set<char> symbols;
  const std::regex format(
      "[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}");
  for (int i = 0; i < 2000; ++i) {
    std::string code = generate_code();
    ASSERT_TRUE(std::regex_match(code, format)) << code;
    EXPECT_FALSE(code_weakness(code)) << code;
    seen.insert(code);
    for (char c : code) symbols.insert(c);
  }
  EXPECT_EQ(seen.size(), 2000u);
  EXPECT_EQ(symbols.size(), 32u);  // the 31 symbols and '-': every one shows up
}

TEST(CodeHash, WeakCodesAreNamed) {
  EXPECT_TRUE(code_weakness(""));
  EXPECT_TRUE(code_weakness("123456789"));
  EXPECT_TRUE(code_weakness("1234-5678-9"));  // 9 characters without the dashes
  EXPECT_TRUE(code_weakness("aaaaaaaaaaaaaaaa"));
  EXPECT_TRUE(code_weakness("abababababab"));
  EXPECT_FALSE(code_weakness("correct-horse"));
  EXPECT_FALSE(code_weakness("1234567890"));
  auto why = code_weakness("short");
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("at least 10 characters"), std::string::npos) << *why;
}

}  // namespace
}  // namespace turnd::db

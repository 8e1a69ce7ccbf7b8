#include "db/code_hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <memory>
#include <set>
#include <vector>

#include "db/errors.h"

namespace turnd::db {
namespace {

constexpr size_t kSaltSize = 16;
constexpr size_t kHashSize = 32;
constexpr std::string_view kCodeAlphabet = "23456789abcdefghjkmnpqrstuvwxyz";  // 31 symbols
constexpr size_t kCodeLength = 16;
constexpr size_t kMinCodeLength = 10;
constexpr size_t kMinDistinct = 5;

// Bounds accepted when verifying a stored hash.
constexpr uint64_t kMaxScryptMemory = 256ull << 20;  // 128 * N * r bytes
constexpr uint32_t kMaxScryptP = 16;
constexpr uint32_t kMinPbkdf2Iterations = 1000;
constexpr uint32_t kMaxPbkdf2Iterations = 10'000'000;

struct KdfFree {
  void operator()(EVP_KDF* kdf) const { EVP_KDF_free(kdf); }
  void operator()(EVP_KDF_CTX* ctx) const { EVP_KDF_CTX_free(ctx); }
};

bool derive(const char* algorithm, OSSL_PARAM* params, std::span<std::byte> out) {
  std::unique_ptr<EVP_KDF, KdfFree> kdf(EVP_KDF_fetch(nullptr, algorithm, nullptr));
  if (!kdf) return false;
  std::unique_ptr<EVP_KDF_CTX, KdfFree> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) return false;
  return EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), out.size(),
                        params) == 1;
}

std::string base64(std::span<const std::byte> data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

std::optional<std::vector<std::byte>> unbase64(std::string_view text) {
  if (text.empty() || text.size() % 4 == 1) return std::nullopt;
  bool alphabet_ok = std::ranges::all_of(text, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/';
  });
  if (!alphabet_ok) return std::nullopt;
  std::string padded(text);
  size_t padding = (4 - padded.size() % 4) % 4;
  padded.append(padding, '=');
  std::vector<std::byte> out(padded.size() / 4 * 3);
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(padded.data()),
                          static_cast<int>(padded.size()));
  if (n < 0 || static_cast<size_t>(n) < padding) return std::nullopt;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

std::vector<std::byte> random_bytes(size_t size) {
  std::vector<std::byte> out(size);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size)) != 1) {
    throw Error("OpenSSL's random generator failed");
  }
  return out;
}

// "N=32768,r=8,p=1" / "i=600000": the value of `key`, or nullopt.
std::optional<uint64_t> param(std::string_view list, std::string_view key) {
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (item.size() > key.size() && item.starts_with(key) && item[key.size()] == '=') {
      std::string_view digits = item.substr(key.size() + 1);
      uint64_t value = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
      return value;
    }
  }
  return std::nullopt;
}

struct ParsedHash {
  std::string_view algorithm;
  std::string_view params;
  std::vector<std::byte> salt;
  std::vector<std::byte> hash;
};

// "$alg$params$salt$hash"
std::optional<ParsedHash> parse_hash(std::string_view text) {
  std::array<std::string_view, 4> fields;
  if (!text.starts_with('$')) return std::nullopt;
  text.remove_prefix(1);
  for (size_t i = 0; i < fields.size(); ++i) {
    size_t dollar = text.find('$');
    if ((dollar == std::string_view::npos) != (i + 1 == fields.size())) return std::nullopt;
    fields[i] = text.substr(0, dollar);
    if (dollar != std::string_view::npos) text.remove_prefix(dollar + 1);
  }
  auto salt = unbase64(fields[2]);
  auto hash = unbase64(fields[3]);
  if (!salt || !hash || salt->size() < kSaltSize || hash->size() != kHashSize) return std::nullopt;
  return ParsedHash{fields[0], fields[1], std::move(*salt), std::move(*hash)};
}

bool sane_scrypt(uint64_t n, uint64_t r, uint64_t p) {
  bool power_of_two = n >= 2 && (n & (n - 1)) == 0;
  return power_of_two && r >= 1 && p >= 1 && p <= kMaxScryptP && r <= 64 &&
         128 * n * r <= kMaxScryptMemory;
}

bool derive_for(const ParsedHash& parsed, std::string_view code, std::span<std::byte> out) {
  if (parsed.algorithm == "scrypt") {
    auto n = param(parsed.params, "N");
    auto r = param(parsed.params, "r");
    auto p = param(parsed.params, "p");
    if (!n || !r || !p || !sane_scrypt(*n, *r, *p)) return false;
    return scrypt(code, parsed.salt, *n, static_cast<uint32_t>(*r), static_cast<uint32_t>(*p), out);
  }
  if (parsed.algorithm == "pbkdf2-sha256") {
    auto i = param(parsed.params, "i");
    if (!i || *i < kMinPbkdf2Iterations || *i > kMaxPbkdf2Iterations) return false;
    return pbkdf2_sha256(code, parsed.salt, static_cast<uint32_t>(*i), out);
  }
  return false;
}

}  // namespace

bool scrypt(std::string_view password, std::span<const std::byte> salt, uint64_t n, uint32_t r,
            uint32_t p, std::span<std::byte> out) {
  // What OpenSSL checks against: B (128 * r * p bytes) + V (128 * r * (N + 2)), plus slack.
  uint64_t max_memory = uint64_t{128} * r * (n + p + 2) + (uint64_t{1} << 20);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()),
                                        password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<std::byte*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &max_memory),
      OSSL_PARAM_construct_end()};
  return derive("SCRYPT", params, out);
}

bool pbkdf2_sha256(std::string_view password, std::span<const std::byte> salt, uint32_t iterations,
                   std::span<std::byte> out) {
  uint64_t iter = iterations;
  int no_sp800_132_checks = 1;  // the RFC vectors use 1 iteration and short salts
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()),
                                        password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<std::byte*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_ITER, &iter),
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_int(OSSL_KDF_PARAM_PKCS5, &no_sp800_132_checks),
      OSSL_PARAM_construct_end()};
  return derive("PBKDF2", params, out);
}

std::string generate_code() {
  std::string code;
  while (code.size() < kCodeLength + kCodeLength / 4 - 1) {
    // Rejection sampling: 248 = 8 * 31, so bytes below it map without bias.
    for (std::byte b : random_bytes(32)) {
      auto value = std::to_integer<unsigned>(b);
      if (value >= 8 * kCodeAlphabet.size()) continue;
      if (code.size() % 5 == 4) code += '-';
      code += kCodeAlphabet[value % kCodeAlphabet.size()];
      if (code.size() == kCodeLength + kCodeLength / 4 - 1) break;
    }
  }
  return code;
}

std::string normalize_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || std::isspace(static_cast<unsigned char>(c))) continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<std::string> code_weakness(std::string_view code) {
  std::string normal = normalize_code(code);
  size_t length = normal.size();
  size_t distinct = std::set<char>(normal.begin(), normal.end()).size();
  OPENSSL_cleanse(normal.data(), normal.size());
  if (length < kMinCodeLength) {
    return "weak code: at least " + std::to_string(kMinCodeLength) +
           " characters are needed (not counting '-' and spaces)";
  }
  if (distinct < kMinDistinct) {
    return "weak code: at least " + std::to_string(kMinDistinct) +
           " different characters are needed";
  }
  return std::nullopt;
}

std::string hash_code(std::string_view code, const CodeHashParams& params) {
  std::string normal = normalize_code(code);
  std::vector<std::byte> salt = random_bytes(kSaltSize);
  std::array<std::byte, kHashSize> hash{};
  std::string head;
  bool ok = false;
  if (params.algorithm == CodeAlgorithm::kScrypt) {
    head = "$scrypt$N=" + std::to_string(params.scrypt_n) +
           ",r=" + std::to_string(params.scrypt_r) + ",p=" + std::to_string(params.scrypt_p);
    ok = sane_scrypt(params.scrypt_n, params.scrypt_r, params.scrypt_p) &&
         scrypt(normal, salt, params.scrypt_n, params.scrypt_r, params.scrypt_p, hash);
  } else {
    head = "$pbkdf2-sha256$i=" + std::to_string(params.pbkdf2_iterations);
    ok = params.pbkdf2_iterations >= kMinPbkdf2Iterations &&
         params.pbkdf2_iterations <= kMaxPbkdf2Iterations &&
         pbkdf2_sha256(normal, salt, params.pbkdf2_iterations, hash);
  }
  OPENSSL_cleanse(normal.data(), normal.size());
  if (!ok) throw Error("cannot hash the access code (OpenSSL KDF failed or bad parameters)");
  return head + "$" + base64(salt) + "$" + base64(hash);
}

bool verify_code(std::string_view code, std::string_view hash) {
  auto parsed = parse_hash(hash);
  if (!parsed) return false;
  std::string normal = normalize_code(code);
  std::vector<std::byte> derived(parsed->hash.size());
  bool ok = derive_for(*parsed, normal, derived);
  OPENSSL_cleanse(normal.data(), normal.size());
  return ok && CRYPTO_memcmp(derived.data(), parsed->hash.data(), derived.size()) == 0;
}

}  // namespace turnd::db

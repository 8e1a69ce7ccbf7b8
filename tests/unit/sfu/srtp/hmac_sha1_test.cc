// hmac_sha1: RFC 2202's HMAC-SHA1 test cases through libsrtp's public auth
// API, SRTP's truncations (80 and 32 bits), messages split over update()
// calls, restarting with start(), against OpenSSL's one-shot HMAC for
// lengths around the block size; its registration.
#include "sfu/srtp/hmac_sha1.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "sfu/srtp/srtp_crypto_test_util.h"
#include "sfu/srtp/srtp_library.h"

namespace turnd::sfu::srtp {
namespace {

using test::hex8;
using test::make_auth;

const srtp_auth_type_t& kType = hmac_sha1_type();

std::vector<uint8_t> bytes(std::string_view text) {
  return {text.begin(), text.end()};
}

// start(), compute(data): the first tag_length bytes of the HMAC.
std::vector<uint8_t> tag_of(srtp_auth_t* a, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> tag(static_cast<size_t>(a->out_len));
  EXPECT_EQ(srtp_auth_start(a), srtp_err_status_ok);
  EXPECT_EQ(srtp_auth_compute(a, data.data(), static_cast<int>(data.size()), tag.data()),
            srtp_err_status_ok);
  return tag;
}

struct Rfc2202Case {
  std::vector<uint8_t> key, data, digest;
};

std::vector<Rfc2202Case> rfc2202() {
  return {
      {std::vector<uint8_t>(20, 0x0b), bytes("Hi There"),
       hex8("b617318655057264e28bc0b6fb378c8ef146be00")},
      {bytes("Jefe"), bytes("what do ya want for nothing?"),
       hex8("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")},
      {std::vector<uint8_t>(20, 0xaa), std::vector<uint8_t>(50, 0xdd),
       hex8("125d7342b9ac11cd91a39af48aa17b4f63f175d3")},
      {hex8("0102030405060708090a0b0c0d0e0f10111213141516171819"), std::vector<uint8_t>(50, 0xcd),
       hex8("4c9007f4026250c6bc8414f9bf50c86c2d7235da")},
      {std::vector<uint8_t>(20, 0x0c), bytes("Test With Truncation"),
       hex8("4c1a03424b55e07fe7f27be1d58bb9324a9a5a04")},
      {std::vector<uint8_t>(80, 0xaa),
       bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
       hex8("aa4ae5e15272d00e95705637ce8a3b55ed402112")},
      {std::vector<uint8_t>(80, 0xaa),
       bytes("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
       hex8("e8e99d0f45237d786d6bbaa7965c7808bbff1a91")},
  };
}

TEST(HmacSha1, Rfc2202TestCases) {
  int number = 1;
  for (const Rfc2202Case& c : rfc2202()) {
    for (int tag_length : {20, 10, 4}) {  // full, SRTP _80, SRTP _32
      auto a = make_auth(kType, c.key, tag_length);
      ASSERT_TRUE(a);
      EXPECT_EQ(tag_of(a.get(), c.data),
                std::vector<uint8_t>(c.digest.begin(), c.digest.begin() + tag_length))
          << "RFC 2202 case " << number << ", " << tag_length << " bytes";
    }
    ++number;
  }
}

// SRTP: start, update(packet), compute(ROC); a new start() forgets the last
// message; init() re-keys.
TEST(HmacSha1, UpdateThenComputeAndRestart) {
  Rfc2202Case c = rfc2202()[6];
  auto a = make_auth(kType, c.key, 20);
  ASSERT_TRUE(a);
  std::vector<uint8_t> tag(20);
  for (int round = 0; round < 2; ++round) {
    ASSERT_EQ(srtp_auth_start(a.get()), srtp_err_status_ok);
    ASSERT_EQ(srtp_auth_update(a.get(), c.data.data(), 10), srtp_err_status_ok);
    ASSERT_EQ(srtp_auth_update(a.get(), c.data.data() + 10, 60), srtp_err_status_ok);
    ASSERT_EQ(srtp_auth_compute(a.get(), c.data.data() + 70, static_cast<int>(c.data.size() - 70),
                                tag.data()),
              srtp_err_status_ok);
    EXPECT_EQ(tag, c.digest) << round;
  }
  Rfc2202Case other = rfc2202()[1];
  ASSERT_EQ(kType.init(a->state, other.key.data(), static_cast<int>(other.key.size())),
            srtp_err_status_ok);
  EXPECT_EQ(tag_of(a.get(), other.data), other.digest);
}

// Lengths around SHA-1's 64-byte block, keys of 0 to 100 bytes, against
// OpenSSL's one-shot HMAC().
TEST(HmacSha1, MatchesOpenSslOneShotHmac) {
  for (size_t key_length : {0, 1, 20, 63, 64, 65, 100}) {
    std::vector<uint8_t> key(key_length);
    for (size_t i = 0; i < key_length; ++i) key[i] = static_cast<uint8_t>(i * 7 + 3);
    auto a = make_auth(kType, key, 20);
    ASSERT_TRUE(a);
    for (size_t length : {0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1200}) {
      std::vector<uint8_t> data(length);
      for (size_t i = 0; i < length; ++i) data[i] = static_cast<uint8_t>(i ^ key_length);
      std::vector<uint8_t> expected(20);
      unsigned int n = 0;
      const uint8_t empty = 0;  // OpenSSL refuses null pointers, even for 0 bytes
      ASSERT_NE(HMAC(EVP_sha1(), key.empty() ? &empty : key.data(), static_cast<int>(key.size()),
                     data.empty() ? &empty : data.data(), data.size(), expected.data(), &n),
                nullptr);
      EXPECT_EQ(tag_of(a.get(), data), expected) << key_length << " " << length;
    }
  }
}

TEST(HmacSha1, RejectsTagsLongerThanTheDigest) {
  srtp_auth_t* a = nullptr;
  EXPECT_EQ(kType.alloc(&a, 20, 21), srtp_err_status_bad_param);
}

TEST(HmacSha1, PassesItsOwnAndLibsrtpsSelfTests) {
  EXPECT_EQ(srtp_auth_type_self_test(&kType), srtp_err_status_ok);
  EXPECT_EQ(srtp_auth_type_test(&kType, &srtp_hmac_test_case_0), srtp_err_status_ok);
}

TEST(HmacSha1, SrtpLibraryRegistersIt) {
  SrtpLibrary library;
  EXPECT_EQ(srtp_crypto_kernel_get_auth_type(SRTP_HMAC_SHA1), &kType);
}

}  // namespace
}  // namespace turnd::sfu::srtp

#include "sfu/srtp/hmac_sha1.h"

// SHA1_Init/Update/Final: deprecated in OpenSSL 3.0, see hmac_sha1.h.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <new>

namespace turnd::sfu::srtp {
namespace {

constexpr int kDigestLength = SHA_DIGEST_LENGTH;  // 20
constexpr size_t kBlockLength = SHA_CBLOCK;       // 64

struct HmacState {
  SHA_CTX inner_start{};  // SHA-1 after key ^ ipad
  SHA_CTX outer_start{};  // SHA-1 after key ^ opad
  SHA_CTX message{};      // the message since start()
  bool keyed = false;

  ~HmacState() { OPENSSL_cleanse(this, sizeof *this); }
};

srtp_err_status_t hmac_alloc(srtp_auth_t** a, int key_len, int out_len) {
  if (key_len < 0 || out_len < 0 || out_len > kDigestLength) return srtp_err_status_bad_param;
  auto* state = new (std::nothrow) HmacState;
  auto* auth = new (std::nothrow) srtp_auth_t{};
  if (state == nullptr || auth == nullptr) {
    delete state;
    delete auth;
    return srtp_err_status_alloc_fail;
  }
  auth->type = &hmac_sha1_type();
  auth->state = state;
  auth->out_len = out_len;
  auth->key_len = key_len;
  auth->prefix_len = 0;
  *a = auth;
  return srtp_err_status_ok;
}

srtp_err_status_t hmac_dealloc(srtp_auth_t* a) {
  delete static_cast<HmacState*>(a->state);
  delete a;
  return srtp_err_status_ok;
}

// RFC 2104 §2: a key longer than a block is hashed first; pad with zeros.
srtp_err_status_t hmac_init(void* sv, const uint8_t* key, int key_len) {
  auto* s = static_cast<HmacState*>(sv);
  s->keyed = false;
  if (key_len < 0) return srtp_err_status_bad_param;
  std::array<uint8_t, kBlockLength> block{};
  if (static_cast<size_t>(key_len) > kBlockLength) {
    SHA1(key, static_cast<size_t>(key_len), block.data());
  } else {
    std::copy_n(key, key_len, block.begin());
  }
  for (uint8_t& b : block) b ^= 0x36;
  bool ok = SHA1_Init(&s->inner_start) == 1 &&
            SHA1_Update(&s->inner_start, block.data(), block.size()) == 1;
  for (uint8_t& b : block) b ^= 0x36 ^ 0x5c;
  ok = ok && SHA1_Init(&s->outer_start) == 1 &&
       SHA1_Update(&s->outer_start, block.data(), block.size()) == 1;
  OPENSSL_cleanse(block.data(), block.size());
  if (!ok) return srtp_err_status_auth_fail;
  s->message = s->inner_start;
  s->keyed = true;
  return srtp_err_status_ok;
}

srtp_err_status_t hmac_start(void* sv) {
  auto* s = static_cast<HmacState*>(sv);
  if (!s->keyed) return srtp_err_status_bad_param;
  s->message = s->inner_start;
  return srtp_err_status_ok;
}

srtp_err_status_t hmac_update(void* sv, const uint8_t* data, int length) {
  auto* s = static_cast<HmacState*>(sv);
  if (length < 0) return srtp_err_status_bad_param;
  if (length > 0 && SHA1_Update(&s->message, data, static_cast<size_t>(length)) != 1) {
    return srtp_err_status_auth_fail;
  }
  return srtp_err_status_ok;
}

srtp_err_status_t hmac_compute(void* sv, const uint8_t* data, int length, int tag_len,
                               uint8_t* tag) {
  auto* s = static_cast<HmacState*>(sv);
  if (!s->keyed || tag_len < 0 || tag_len > kDigestLength) return srtp_err_status_bad_param;
  if (srtp_err_status_t status = hmac_update(sv, data, length); status != srtp_err_status_ok) {
    return status;
  }
  std::array<uint8_t, kDigestLength> digest;
  SHA_CTX outer = s->outer_start;
  bool ok = SHA1_Final(digest.data(), &s->message) == 1 &&
            SHA1_Update(&outer, digest.data(), digest.size()) == 1 &&
            SHA1_Final(digest.data(), &outer) == 1;
  OPENSSL_cleanse(&outer, sizeof outer);
  if (!ok) return srtp_err_status_auth_fail;
  std::copy_n(digest.begin(), tag_len, tag);
  return srtp_err_status_ok;
}

// RFC 2202 §3, test cases 1 to 7 (keys of 20, 4, 20, 25, 20, 80, 80 bytes).
constexpr uint8_t kKey1[20] = {0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b,
                               0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b};
constexpr uint8_t kData1[] = "Hi There";
constexpr uint8_t kTag1[20] = {0xb6, 0x17, 0x31, 0x86, 0x55, 0x05, 0x72, 0x64, 0xe2, 0x8b,
                               0xc0, 0xb6, 0xfb, 0x37, 0x8c, 0x8e, 0xf1, 0x46, 0xbe, 0x00};
constexpr uint8_t kKey2[] = "Jefe";
constexpr uint8_t kData2[] = "what do ya want for nothing?";
constexpr uint8_t kTag2[20] = {0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2, 0xd2, 0x74,
                               0x16, 0xd5, 0xf1, 0x84, 0xdf, 0x9c, 0x25, 0x9a, 0x7c, 0x79};
constexpr auto kKey3 = [] {
  std::array<uint8_t, 20> k{};
  k.fill(0xaa);
  return k;
}();
constexpr auto kData3 = [] {
  std::array<uint8_t, 50> d{};
  d.fill(0xdd);
  return d;
}();
constexpr uint8_t kTag3[20] = {0x12, 0x5d, 0x73, 0x42, 0xb9, 0xac, 0x11, 0xcd, 0x91, 0xa3,
                               0x9a, 0xf4, 0x8a, 0xa1, 0x7b, 0x4f, 0x63, 0xf1, 0x75, 0xd3};
constexpr auto kKey4 = [] {
  std::array<uint8_t, 25> k{};
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(i + 1);
  return k;
}();
constexpr auto kData4 = [] {
  std::array<uint8_t, 50> d{};
  d.fill(0xcd);
  return d;
}();
constexpr uint8_t kTag4[20] = {0x4c, 0x90, 0x07, 0xf4, 0x02, 0x62, 0x50, 0xc6, 0xbc, 0x84,
                               0x14, 0xf9, 0xbf, 0x50, 0xc8, 0x6c, 0x2d, 0x72, 0x35, 0xda};
constexpr auto kKey5 = [] {
  std::array<uint8_t, 20> k{};
  k.fill(0x0c);
  return k;
}();
constexpr uint8_t kData5[] = "Test With Truncation";
constexpr uint8_t kTag5[20] = {0x4c, 0x1a, 0x03, 0x42, 0x4b, 0x55, 0xe0, 0x7f, 0xe7, 0xf2,
                               0x7b, 0xe1, 0xd5, 0x8b, 0xb9, 0x32, 0x4a, 0x9a, 0x5a, 0x04};
constexpr auto kKey67 = [] {
  std::array<uint8_t, 80> k{};
  k.fill(0xaa);
  return k;
}();
constexpr uint8_t kData6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
constexpr uint8_t kTag6[20] = {0xaa, 0x4a, 0xe5, 0xe1, 0x52, 0x72, 0xd0, 0x0e, 0x95, 0x70,
                               0x56, 0x37, 0xce, 0x8a, 0x3b, 0x55, 0xed, 0x40, 0x21, 0x12};
constexpr uint8_t kData7[] =
    "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data";
constexpr uint8_t kTag7[20] = {0xe8, 0xe9, 0x9d, 0x0f, 0x45, 0x23, 0x7d, 0x78, 0x6d, 0x6b,
                               0xba, 0xa7, 0x96, 0x5c, 0x78, 0x08, 0xbb, 0xff, 0x1a, 0x91};

// Strings: without their terminating NUL.
template <size_t N>
constexpr int text_length(const uint8_t (&)[N]) {
  return static_cast<int>(N - 1);
}

const srtp_auth_test_case_t kCase7 = {.key_length_octets = kKey67.size(),
                                      .key = kKey67.data(),
                                      .data_length_octets = text_length(kData7),
                                      .data = kData7,
                                      .tag_length_octets = kDigestLength,
                                      .tag = kTag7,
                                      .next_test_case = nullptr};
const srtp_auth_test_case_t kCase6 = {.key_length_octets = kKey67.size(),
                                      .key = kKey67.data(),
                                      .data_length_octets = text_length(kData6),
                                      .data = kData6,
                                      .tag_length_octets = kDigestLength,
                                      .tag = kTag6,
                                      .next_test_case = &kCase7};
const srtp_auth_test_case_t kCase5 = {.key_length_octets = kKey5.size(),
                                      .key = kKey5.data(),
                                      .data_length_octets = text_length(kData5),
                                      .data = kData5,
                                      .tag_length_octets = kDigestLength,
                                      .tag = kTag5,
                                      .next_test_case = &kCase6};
const srtp_auth_test_case_t kCase4 = {.key_length_octets = kKey4.size(),
                                      .key = kKey4.data(),
                                      .data_length_octets = kData4.size(),
                                      .data = kData4.data(),
                                      .tag_length_octets = kDigestLength,
                                      .tag = kTag4,
                                      .next_test_case = &kCase5};
const srtp_auth_test_case_t kCase3 = {.key_length_octets = kKey3.size(),
                                      .key = kKey3.data(),
                                      .data_length_octets = kData3.size(),
                                      .data = kData3.data(),
                                      .tag_length_octets = kDigestLength,
                                      .tag = kTag3,
                                      .next_test_case = &kCase4};
const srtp_auth_test_case_t kCase2 = {.key_length_octets = text_length(kKey2),
                                      .key = kKey2,
                                      .data_length_octets = text_length(kData2),
                                      .data = kData2,
                                      .tag_length_octets = kDigestLength,
                                      .tag = kTag2,
                                      .next_test_case = &kCase3};
const srtp_auth_test_case_t kCase1 = {.key_length_octets = sizeof kKey1,
                                      .key = kKey1,
                                      .data_length_octets = text_length(kData1),
                                      .data = kData1,
                                      .tag_length_octets = kDigestLength,
                                      .tag = kTag1,
                                      .next_test_case = &kCase2};

const srtp_auth_type_t kType = {.alloc = hmac_alloc,
                                .dealloc = hmac_dealloc,
                                .init = hmac_init,
                                .compute = hmac_compute,
                                .update = hmac_update,
                                .start = hmac_start,
                                .description = "HMAC-SHA1 over OpenSSL SHA-1 (turnd)",
                                .test_data = &kCase1,
                                .id = SRTP_HMAC_SHA1};

}  // namespace

const srtp_auth_type_t& hmac_sha1_type() noexcept {
  return kType;
}

}  // namespace turnd::sfu::srtp

#include "sfu/srtp/evp_aes_icm.h"

#include <openssl/crypto.h>

#include <array>
#include <climits>
#include <cstring>
#include <new>

#include "sfu/srtp/evp_cipher_ctx.h"

namespace turnd::sfu::srtp {
namespace {

constexpr int kAesKeyLength = 16;
constexpr int kSaltLength = 14;
constexpr int kKeyWithSaltLength = kAesKeyLength + kSaltLength;  // SRTP_AES_ICM_128_KEY_LEN_WSALT
constexpr size_t kBlock = 16;
constexpr size_t kCounterBlocks = 1u << 16;  // the counter is the last 16 bits

struct IcmState {
  EvpCipherCtxPtr ctx{EVP_CIPHER_CTX_new()};
  std::array<uint8_t, kBlock> offset{};  // salt || 0x0000
  size_t keystream_left = 0;             // bytes before the 16-bit counter wraps
  bool keyed = false;

  ~IcmState() { OPENSSL_cleanse(offset.data(), offset.size()); }
};

srtp_err_status_t icm_alloc(srtp_cipher_t** c, int key_len, int /*tag_len*/) {
  if (key_len != kKeyWithSaltLength) return srtp_err_status_bad_param;
  auto* state = new (std::nothrow) IcmState;
  auto* cipher = new (std::nothrow) srtp_cipher_t{};
  if (state == nullptr || cipher == nullptr || state->ctx == nullptr) {
    delete state;
    delete cipher;
    return srtp_err_status_alloc_fail;
  }
  cipher->type = &evp_aes_icm_128_type();
  cipher->state = state;
  cipher->key_len = key_len;
  cipher->algorithm = SRTP_AES_ICM_128;
  *c = cipher;
  return srtp_err_status_ok;
}

srtp_err_status_t icm_dealloc(srtp_cipher_t* c) {
  delete static_cast<IcmState*>(c->state);
  delete c;
  return srtp_err_status_ok;
}

srtp_err_status_t icm_init(void* sv, const uint8_t* key) {
  auto* s = static_cast<IcmState*>(sv);
  s->keyed = false;
  if (EVP_EncryptInit_ex(s->ctx.get(), EVP_aes_128_ctr(), nullptr, key, nullptr) != 1) {
    return srtp_err_status_cipher_fail;
  }
  s->offset.fill(0);
  std::memcpy(s->offset.data(), key + kAesKeyLength, kSaltLength);
  s->keystream_left = 0;  // nothing to encrypt before set_iv
  s->keyed = true;
  return srtp_err_status_ok;
}

srtp_err_status_t icm_set_iv(void* sv, uint8_t* iv, srtp_cipher_direction_t /*direction*/) {
  auto* s = static_cast<IcmState*>(sv);
  if (!s->keyed) return srtp_err_status_bad_param;
  std::array<uint8_t, kBlock> counter;
  for (size_t i = 0; i < kBlock; ++i) counter[i] = s->offset[i] ^ iv[i];
  // Only the IV changes: the key schedule stays, nothing is allocated.
  if (EVP_EncryptInit_ex(s->ctx.get(), nullptr, nullptr, nullptr, counter.data()) != 1) {
    return srtp_err_status_cipher_fail;
  }
  size_t first_block = (size_t{counter[14]} << 8) | counter[15];
  s->keystream_left = (kCounterBlocks - first_block) * kBlock;
  return srtp_err_status_ok;
}

srtp_err_status_t icm_encrypt(void* sv, uint8_t* buffer, unsigned int* length) {
  auto* s = static_cast<IcmState*>(sv);
  if (*length == 0) return srtp_err_status_ok;
  if (*length > s->keystream_left) return srtp_err_status_terminus;  // also: no set_iv yet
  int out = 0;
  if (EVP_EncryptUpdate(s->ctx.get(), buffer, &out, buffer, static_cast<int>(*length)) != 1 ||
      static_cast<unsigned int>(out) != *length) {
    return srtp_err_status_cipher_fail;
  }
  s->keystream_left -= *length;
  return srtp_err_status_ok;
}

// RFC 3711 Appendix B.2: session key and salt, IV 0 (SSRC 0, index 0): the
// first three keystream blocks.
constexpr uint8_t kB2Key[kKeyWithSaltLength] = {
    0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f,
    0x3c, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd};
constexpr uint8_t kZeroIv[16] = {};
constexpr uint8_t kZeros[48] = {};
constexpr uint8_t kB2Keystream[48] = {
    0xe0, 0x3e, 0xad, 0x09, 0x35, 0xc9, 0x5e, 0x80, 0xe1, 0x66, 0xb1, 0x6d, 0xd9, 0x2b, 0x4e, 0xb4,
    0xd2, 0x35, 0x13, 0x16, 0x2b, 0x02, 0xd0, 0xf7, 0x2a, 0x43, 0xa2, 0xfe, 0x4a, 0x5f, 0x97, 0xab,
    0x41, 0xe9, 0x5b, 0x3b, 0xb0, 0xa2, 0xe8, 0xdd, 0x47, 0x79, 0x01, 0xe4, 0xfc, 0xa8, 0x94, 0xc0};

// RFC 3711 Appendix B.3: the master key and salt; the IV carries the label
// in its eighth byte (0: the SRTP cipher key, 2: the SRTP salt); the
// keystream is the derived key.
constexpr uint8_t kB3MasterKey[kKeyWithSaltLength] = {
    0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0, 0xd6, 0x4f, 0xa3, 0x2c, 0x06, 0xde, 0x41,
    0x39, 0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6};
constexpr uint8_t kB3CipherKey[16] = {0xc6, 0x1e, 0x7a, 0x93, 0x74, 0x4f, 0x39, 0xee,
                                      0x10, 0x73, 0x4a, 0xfe, 0x3f, 0xf7, 0xa0, 0x87};
constexpr uint8_t kLabel2Iv[16] = {0, 0, 0, 0, 0, 0, 0, 0x02};
constexpr uint8_t kB3CipherSalt[14] = {0x30, 0xcb, 0xbc, 0x08, 0x86, 0x3d, 0x8c,
                                       0x85, 0xd4, 0x9d, 0xb3, 0x4a, 0x9a, 0xe1};

// libsrtp's test case declares the IV non-const; nothing writes through it.
uint8_t* iv_of(const uint8_t* iv) {
  return const_cast<uint8_t*>(iv);  // NOLINT(cppcoreguidelines-pro-type-const-cast)
}

const srtp_cipher_test_case_t kB3SaltCase = {.key_length_octets = kKeyWithSaltLength,
                                             .key = kB3MasterKey,
                                             .idx = iv_of(kLabel2Iv),
                                             .plaintext_length_octets = 14,
                                             .plaintext = kZeros,
                                             .ciphertext_length_octets = 14,
                                             .ciphertext = kB3CipherSalt,
                                             .next_test_case = nullptr};
const srtp_cipher_test_case_t kB3KeyCase = {.key_length_octets = kKeyWithSaltLength,
                                            .key = kB3MasterKey,
                                            .idx = iv_of(kZeroIv),
                                            .plaintext_length_octets = 16,
                                            .plaintext = kZeros,
                                            .ciphertext_length_octets = 16,
                                            .ciphertext = kB3CipherKey,
                                            .next_test_case = &kB3SaltCase};
const srtp_cipher_test_case_t kB2Case = {.key_length_octets = kKeyWithSaltLength,
                                         .key = kB2Key,
                                         .idx = iv_of(kZeroIv),
                                         .plaintext_length_octets = 48,
                                         .plaintext = kZeros,
                                         .ciphertext_length_octets = 48,
                                         .ciphertext = kB2Keystream,
                                         .next_test_case = &kB3KeyCase};

const srtp_cipher_type_t kType = {.alloc = icm_alloc,
                                  .dealloc = icm_dealloc,
                                  .init = icm_init,
                                  .set_aad = nullptr,
                                  .encrypt = icm_encrypt,
                                  .decrypt = icm_encrypt,  // the same XOR
                                  .set_iv = icm_set_iv,
                                  .get_tag = nullptr,
                                  .description = "AES-128 ICM over OpenSSL EVP (turnd)",
                                  .test_data = &kB2Case,
                                  .id = SRTP_AES_ICM_128};

}  // namespace

const srtp_cipher_type_t& evp_aes_icm_128_type() noexcept {
  return kType;
}

}  // namespace turnd::sfu::srtp

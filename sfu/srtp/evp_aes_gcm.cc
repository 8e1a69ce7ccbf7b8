#include "sfu/srtp/evp_aes_gcm.h"

#include <algorithm>
#include <array>
#include <climits>
#include <new>

#include "sfu/srtp/evp_cipher_ctx.h"

namespace turnd::sfu::srtp {
namespace {

constexpr int kKeyWithSaltLength = 16 + 12;  // SRTP_AES_GCM_128_KEY_LEN_WSALT
constexpr int kMaxTagLength = 16;
constexpr int kShortTagLength = 8;

enum class Step : uint8_t { kIdle, kEncrypting, kDecrypting };

struct GcmState {
  EvpCipherCtxPtr ctx{EVP_CIPHER_CTX_new()};
  int tag_length = kMaxTagLength;
  bool keyed = false;
  Step step = Step::kIdle;  // what set_iv started
  std::array<uint8_t, kMaxTagLength> tag{};
};

srtp_err_status_t gcm_alloc(srtp_cipher_t** c, int key_len, int tag_len) {
  if (key_len != kKeyWithSaltLength) return srtp_err_status_bad_param;
  if (tag_len != kMaxTagLength && tag_len != kShortTagLength) return srtp_err_status_bad_param;
  auto* state = new (std::nothrow) GcmState;
  auto* cipher = new (std::nothrow) srtp_cipher_t{};
  if (state == nullptr || cipher == nullptr || state->ctx == nullptr) {
    delete state;
    delete cipher;
    return srtp_err_status_alloc_fail;
  }
  state->tag_length = tag_len;
  cipher->type = &evp_aes_gcm_128_type();
  cipher->state = state;
  cipher->key_len = key_len;
  cipher->algorithm = SRTP_AES_GCM_128;
  *c = cipher;
  return srtp_err_status_ok;
}

srtp_err_status_t gcm_dealloc(srtp_cipher_t* c) {
  delete static_cast<GcmState*>(c->state);
  delete c;
  return srtp_err_status_ok;
}

srtp_err_status_t gcm_init(void* sv, const uint8_t* key) {
  auto* s = static_cast<GcmState*>(sv);
  s->keyed = false;
  s->step = Step::kIdle;
  if (EVP_CipherInit_ex(s->ctx.get(), EVP_aes_128_gcm(), nullptr, key, nullptr, 1) != 1) {
    return srtp_err_status_cipher_fail;
  }
  s->keyed = true;
  return srtp_err_status_ok;
}

srtp_err_status_t gcm_set_iv(void* sv, uint8_t* iv, srtp_cipher_direction_t direction) {
  auto* s = static_cast<GcmState*>(sv);
  s->step = Step::kIdle;
  if (!s->keyed) return srtp_err_status_bad_param;
  if (direction != srtp_direction_encrypt && direction != srtp_direction_decrypt) {
    return srtp_err_status_bad_param;
  }
  int encrypt = direction == srtp_direction_encrypt ? 1 : 0;
  // Only the IV and the direction change: the key schedule stays.
  if (EVP_CipherInit_ex(s->ctx.get(), nullptr, nullptr, nullptr, iv, encrypt) != 1) {
    return srtp_err_status_cipher_fail;
  }
  s->step = encrypt ? Step::kEncrypting : Step::kDecrypting;
  return srtp_err_status_ok;
}

srtp_err_status_t gcm_set_aad(void* sv, const uint8_t* aad, uint32_t length) {
  auto* s = static_cast<GcmState*>(sv);
  if (s->step == Step::kIdle || length > INT_MAX) return srtp_err_status_bad_param;
  if (length == 0) return srtp_err_status_ok;
  int out = 0;
  if (EVP_CipherUpdate(s->ctx.get(), nullptr, &out, aad, static_cast<int>(length)) != 1) {
    return srtp_err_status_cipher_fail;
  }
  return srtp_err_status_ok;
}

srtp_err_status_t gcm_encrypt(void* sv, uint8_t* buffer, unsigned int* length) {
  auto* s = static_cast<GcmState*>(sv);
  if (s->step != Step::kEncrypting || *length > INT_MAX) return srtp_err_status_bad_param;
  s->step = Step::kIdle;  // one message per set_iv
  int out = 0;
  if (*length > 0 &&
      (EVP_EncryptUpdate(s->ctx.get(), buffer, &out, buffer, static_cast<int>(*length)) != 1 ||
       static_cast<unsigned int>(out) != *length)) {
    return srtp_err_status_cipher_fail;
  }
  uint8_t none[1];  // GCM's final writes no data
  if (EVP_EncryptFinal_ex(s->ctx.get(), none, &out) != 1 ||
      EVP_CIPHER_CTX_ctrl(s->ctx.get(), EVP_CTRL_AEAD_GET_TAG, s->tag_length, s->tag.data()) != 1) {
    return srtp_err_status_cipher_fail;
  }
  return srtp_err_status_ok;
}

srtp_err_status_t gcm_get_tag(void* sv, uint8_t* out, uint32_t* length) {
  auto* s = static_cast<GcmState*>(sv);
  std::copy_n(s->tag.begin(), s->tag_length, out);
  *length = static_cast<uint32_t>(s->tag_length);
  return srtp_err_status_ok;
}

srtp_err_status_t gcm_decrypt(void* sv, uint8_t* buffer, unsigned int* length) {
  auto* s = static_cast<GcmState*>(sv);
  if (s->step != Step::kDecrypting || *length > INT_MAX) return srtp_err_status_bad_param;
  if (*length < static_cast<unsigned int>(s->tag_length)) return srtp_err_status_bad_param;
  s->step = Step::kIdle;
  unsigned int data_length = *length - static_cast<unsigned int>(s->tag_length);
  if (EVP_CIPHER_CTX_ctrl(s->ctx.get(), EVP_CTRL_AEAD_SET_TAG, s->tag_length,
                          buffer + data_length) != 1) {
    return srtp_err_status_cipher_fail;
  }
  int out = 0;
  if (data_length > 0 &&
      (EVP_DecryptUpdate(s->ctx.get(), buffer, &out, buffer, static_cast<int>(data_length)) != 1 ||
       static_cast<unsigned int>(out) != data_length)) {
    return srtp_err_status_cipher_fail;
  }
  uint8_t none[1];
  if (EVP_DecryptFinal_ex(s->ctx.get(), none, &out) != 1) return srtp_err_status_auth_fail;
  *length = data_length;
  return srtp_err_status_ok;
}

// RFC 7714 §16.1.1: AEAD_AES_128_GCM SRTP, session key and salt ("Quid pro
// quo"); SSRC 0x5501a0b2, ROC 0, SEQ 0xf17b give the IV below; the AAD is
// the 12-byte RTP header and the plaintext "Gallia est omnis divisa in
// partes tres". The key field is the session key followed by the salt.
constexpr uint8_t kKeyAndSalt[kKeyWithSaltLength] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
    0x0e, 0x0f, 0x51, 0x75, 0x69, 0x64, 0x20, 0x70, 0x72, 0x6f, 0x20, 0x71, 0x75, 0x6f};
constexpr uint8_t kRtpIv[12] = {0x51, 0x75, 0x3c, 0x65, 0x80, 0xc2,
                                0x72, 0x6f, 0x20, 0x71, 0x84, 0x14};
constexpr uint8_t kRtpHeader[12] = {0x80, 0x40, 0xf1, 0x7b, 0x80, 0x41,
                                    0xf8, 0xd3, 0x55, 0x01, 0xa0, 0xb2};
constexpr uint8_t kRtpPayload[38] = {0x47, 0x61, 0x6c, 0x6c, 0x69, 0x61, 0x20, 0x65, 0x73, 0x74,
                                     0x20, 0x6f, 0x6d, 0x6e, 0x69, 0x73, 0x20, 0x64, 0x69, 0x76,
                                     0x69, 0x73, 0x61, 0x20, 0x69, 0x6e, 0x20, 0x70, 0x61, 0x72,
                                     0x74, 0x65, 0x73, 0x20, 0x74, 0x72, 0x65, 0x73};
constexpr uint8_t kRtpSealed[38 + 16] = {
    0xf2, 0x4d, 0xe3, 0xa3, 0xfb, 0x34, 0xde, 0x6c, 0xac, 0xba, 0x86, 0x1c, 0x9d,
    0x7e, 0x4b, 0xca, 0xbe, 0x63, 0x3b, 0xd5, 0x0d, 0x29, 0x4e, 0x6f, 0x42, 0xa5,
    0xf4, 0x7a, 0x51, 0xc7, 0xd1, 0x9b, 0x36, 0xde, 0x3a, 0xdf, 0x88, 0x33,  // ciphertext
    0x89, 0x9d, 0x7f, 0x27, 0xbe, 0xb1, 0x6a, 0x91, 0x52, 0xcf, 0x76, 0x5e, 0xe4,
    0x39, 0x0c, 0xce};  // tag

// RFC 7714 §17.1: AEAD_AES_128_GCM SRTCP, same key and salt; SSRC "Mars",
// SRTCP index 0x5d4. The AAD is the 8-byte RTCP header, then the E flag +
// index word 0x800005d4.
constexpr uint8_t kRtcpIv[12] = {0x51, 0x75, 0x24, 0x05, 0x52, 0x03,
                                 0x72, 0x6f, 0x20, 0x71, 0x70, 0xbb};
constexpr uint8_t kRtcpAad[12] = {0x81, 0xc8, 0x00, 0x0d, 0x4d, 0x61,
                                  0x72, 0x73, 0x80, 0x00, 0x05, 0xd4};
constexpr uint8_t kRtcpPayload[44] = {
    0x4e, 0x54, 0x50, 0x31, 0x4e, 0x54, 0x50, 0x32, 0x52, 0x54, 0x50, 0x20, 0x00, 0x00, 0x04,
    0x2a, 0x00, 0x00, 0xe9, 0x30, 0x4c, 0x75, 0x6e, 0x61, 0xde, 0xad, 0xbe, 0xef, 0xde, 0xad,
    0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef};
constexpr uint8_t kRtcpSealed[44 + 16] = {
    0x63, 0xe9, 0x48, 0x85, 0xdc, 0xda, 0xb6, 0x7c, 0xa7, 0x27, 0xd7, 0x66, 0x2f, 0x6b, 0x7e,
    0x99, 0x7f, 0xf5, 0xc0, 0xf7, 0x6c, 0x06, 0xf3, 0x2d, 0xc6, 0x76, 0xa5, 0xf1, 0x73, 0x0d,
    0x6f, 0xda, 0x4c, 0xe0, 0x9b, 0x46, 0x86, 0x30, 0x3d, 0xed, 0x0b, 0xb9, 0x27, 0x5b,  // ct
    0xc8, 0x4a, 0xa4, 0x58, 0x96, 0xcf, 0x4d, 0x2f, 0xc5, 0xab, 0xf8, 0x72, 0x45, 0xd9, 0xea,
    0xde};  // tag

uint8_t* iv_of(const uint8_t* iv) {
  return const_cast<uint8_t*>(iv);  // libsrtp's field is non-const; only read
}

// The SRTP packet with the tag cut to 8 bytes (AEAD_AES_128_GCM_8).
const srtp_cipher_test_case_t kRtpShortTagCase = {
    .key_length_octets = kKeyWithSaltLength,
    .key = kKeyAndSalt,
    .idx = iv_of(kRtpIv),
    .plaintext_length_octets = sizeof kRtpPayload,
    .plaintext = kRtpPayload,
    .ciphertext_length_octets = sizeof kRtpPayload + kShortTagLength,
    .ciphertext = kRtpSealed,
    .aad_length_octets = sizeof kRtpHeader,
    .aad = kRtpHeader,
    .tag_length_octets = kShortTagLength,
    .next_test_case = nullptr};
const srtp_cipher_test_case_t kRtcpCase = {.key_length_octets = kKeyWithSaltLength,
                                           .key = kKeyAndSalt,
                                           .idx = iv_of(kRtcpIv),
                                           .plaintext_length_octets = sizeof kRtcpPayload,
                                           .plaintext = kRtcpPayload,
                                           .ciphertext_length_octets = sizeof kRtcpSealed,
                                           .ciphertext = kRtcpSealed,
                                           .aad_length_octets = sizeof kRtcpAad,
                                           .aad = kRtcpAad,
                                           .tag_length_octets = kMaxTagLength,
                                           .next_test_case = &kRtpShortTagCase};
const srtp_cipher_test_case_t kRtpCase = {.key_length_octets = kKeyWithSaltLength,
                                          .key = kKeyAndSalt,
                                          .idx = iv_of(kRtpIv),
                                          .plaintext_length_octets = sizeof kRtpPayload,
                                          .plaintext = kRtpPayload,
                                          .ciphertext_length_octets = sizeof kRtpSealed,
                                          .ciphertext = kRtpSealed,
                                          .aad_length_octets = sizeof kRtpHeader,
                                          .aad = kRtpHeader,
                                          .tag_length_octets = kMaxTagLength,
                                          .next_test_case = &kRtcpCase};

const srtp_cipher_type_t kType = {.alloc = gcm_alloc,
                                  .dealloc = gcm_dealloc,
                                  .init = gcm_init,
                                  .set_aad = gcm_set_aad,
                                  .encrypt = gcm_encrypt,
                                  .decrypt = gcm_decrypt,
                                  .set_iv = gcm_set_iv,
                                  .get_tag = gcm_get_tag,
                                  .description = "AES-128 GCM over OpenSSL EVP (turnd)",
                                  .test_data = &kRtpCase,
                                  .id = SRTP_AES_GCM_128};

}  // namespace

const srtp_cipher_type_t& evp_aes_gcm_128_type() noexcept {
  return kType;
}

}  // namespace turnd::sfu::srtp

// evp_aes_gcm: AES-128-GCM against RFC 7714's packet vectors (§16.1.1 SRTP,
// §17.1 SRTCP) through libsrtp's public cipher API, in the order srtp.c
// calls it; tag failures; the 8-byte tag; SRTCP without encryption (tag
// over AAD only); its registration; libsrtp's own self-test data.
#include "sfu/srtp/evp_aes_gcm.h"

#include <gtest/gtest.h>
#include <openssl/err.h>

#include "sfu/srtp/srtp_crypto_test_util.h"
#include "sfu/srtp/srtp_library.h"

namespace turnd::sfu::srtp {
namespace {

using test::hex8;
using test::make_cipher;

const srtp_cipher_type_t& kType = evp_aes_gcm_128_type();

// RFC 7714 §16/§17: session key 000102...0f, salt "Quid pro quo".
const std::vector<uint8_t> kKeyAndSalt =
    hex8("000102030405060708090a0b0c0d0e0f 517569642070726f2071756f");

struct Vector {
  std::vector<uint8_t> iv, aad, plaintext, sealed;  // sealed: ciphertext || tag
};

// §16.1.1: SSRC 0x5501a0b2, ROC 0, SEQ 0xf17b.
Vector rtp_vector() {
  return {hex8("51753c6580c2726f20718414"), hex8("8040f17b 8041f8d3 5501a0b2"),
          hex8("47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465"
               "73207472 6573"),
          hex8("f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b"
               "36de3adf 8833 899d7f27 beb16a91 52cf765e e4390cce")};
}

// §17.1: SSRC "Mars", SRTCP index 0x5d4; AAD = header || E flag + index.
Vector rtcp_vector() {
  return {hex8("517524055203726f207170bb"), hex8("81c8000d 4d617273 800005d4"),
          hex8("4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef"
               "deadbeef deadbeef deadbeef"),
          hex8("63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda"
               "4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872 45d9eade")};
}

// As srtp_protect_aead: set_iv, set_aad, encrypt, get_tag.
std::vector<uint8_t> seal(srtp_cipher_t* c, Vector v, int tag_length = 16) {
  std::vector<uint8_t> buffer = v.plaintext;
  buffer.resize(v.plaintext.size() + 16);
  EXPECT_EQ(srtp_cipher_set_iv(c, v.iv.data(), srtp_direction_encrypt), srtp_err_status_ok);
  EXPECT_EQ(srtp_cipher_set_aad(c, v.aad.data(), static_cast<uint32_t>(v.aad.size())),
            srtp_err_status_ok);
  auto n = static_cast<uint32_t>(v.plaintext.size());
  EXPECT_EQ(srtp_cipher_encrypt(c, buffer.data(), &n), srtp_err_status_ok);
  EXPECT_EQ(n, v.plaintext.size());
  uint32_t tag = 0;
  EXPECT_EQ(srtp_cipher_get_tag(c, buffer.data() + n, &tag), srtp_err_status_ok);
  EXPECT_EQ(tag, static_cast<uint32_t>(tag_length));
  buffer.resize(n + tag);
  return buffer;
}

// As srtp_unprotect_aead: set_iv, set_aad, decrypt (ciphertext || tag).
srtp_err_status_t open_sealed(srtp_cipher_t* c, const Vector& v, std::vector<uint8_t>& buffer) {
  std::vector<uint8_t> iv = v.iv;
  EXPECT_EQ(srtp_cipher_set_iv(c, iv.data(), srtp_direction_decrypt), srtp_err_status_ok);
  EXPECT_EQ(srtp_cipher_set_aad(c, v.aad.data(), static_cast<uint32_t>(v.aad.size())),
            srtp_err_status_ok);
  auto n = static_cast<uint32_t>(buffer.size());
  srtp_err_status_t status = srtp_cipher_decrypt(c, buffer.data(), &n);
  if (status == srtp_err_status_ok) buffer.resize(n);
  return status;
}

TEST(EvpAesGcm, Rfc7714SrtpPacket) {
  auto c = make_cipher(kType, kKeyAndSalt, 16);
  ASSERT_TRUE(c);
  Vector v = rtp_vector();
  EXPECT_EQ(seal(c.get(), v), v.sealed);
  std::vector<uint8_t> buffer = v.sealed;
  ASSERT_EQ(open_sealed(c.get(), v, buffer), srtp_err_status_ok);
  EXPECT_EQ(buffer, v.plaintext);
}

// srtp.c gives the SRTCP AAD in two calls: the header, then the index word.
TEST(EvpAesGcm, Rfc7714SrtcpPacketWithAadInTwoParts) {
  auto c = make_cipher(kType, kKeyAndSalt, 16);
  ASSERT_TRUE(c);
  Vector v = rtcp_vector();
  std::vector<uint8_t> buffer = v.plaintext;
  buffer.resize(buffer.size() + 16);
  ASSERT_EQ(srtp_cipher_set_iv(c.get(), v.iv.data(), srtp_direction_encrypt), srtp_err_status_ok);
  ASSERT_EQ(srtp_cipher_set_aad(c.get(), v.aad.data(), 8), srtp_err_status_ok);
  ASSERT_EQ(srtp_cipher_set_aad(c.get(), v.aad.data() + 8, 4), srtp_err_status_ok);
  auto n = static_cast<uint32_t>(v.plaintext.size());
  ASSERT_EQ(srtp_cipher_encrypt(c.get(), buffer.data(), &n), srtp_err_status_ok);
  uint32_t tag = 0;
  ASSERT_EQ(srtp_cipher_get_tag(c.get(), buffer.data() + n, &tag), srtp_err_status_ok);
  EXPECT_EQ(buffer, v.sealed);

  ASSERT_EQ(open_sealed(c.get(), v, buffer), srtp_err_status_ok);
  EXPECT_EQ(buffer, v.plaintext);
}

TEST(EvpAesGcm, TamperingFailsAuthenticationAndLeavesNoOpenSslError) {
  auto c = make_cipher(kType, kKeyAndSalt, 16);
  ASSERT_TRUE(c);
  Vector v = rtp_vector();
  ERR_clear_error();
  for (size_t at : {size_t{0}, v.sealed.size() / 2, v.sealed.size() - 1}) {  // data, tag
    std::vector<uint8_t> buffer = v.sealed;
    buffer[at] ^= 0x01;
    EXPECT_EQ(open_sealed(c.get(), v, buffer), srtp_err_status_auth_fail) << at;
  }
  Vector wrong_aad = v;
  wrong_aad.aad[3] ^= 0x01;  // another sequence number
  std::vector<uint8_t> buffer = v.sealed;
  EXPECT_EQ(open_sealed(c.get(), wrong_aad, buffer), srtp_err_status_auth_fail);
  // The DTLS code on the same thread reads OpenSSL's error queue.
  EXPECT_EQ(ERR_peek_error(), 0u);
  // And the instance still works.
  buffer = v.sealed;
  EXPECT_EQ(open_sealed(c.get(), v, buffer), srtp_err_status_ok);
}

// AEAD_AES_128_GCM_8: the tag is the first 8 bytes of the full one.
TEST(EvpAesGcm, EightByteTag) {
  auto c = make_cipher(kType, kKeyAndSalt, 8);
  ASSERT_TRUE(c);
  Vector v = rtp_vector();
  std::vector<uint8_t> expected(v.sealed.begin(), v.sealed.end() - 8);
  EXPECT_EQ(seal(c.get(), v, 8), expected);
  ASSERT_EQ(open_sealed(c.get(), v, expected), srtp_err_status_ok);
  EXPECT_EQ(expected, v.plaintext);
}

// SRTCP with the E flag clear (RFC 7714 §9.3): everything is AAD, encrypt
// runs on no data (a null buffer) to make the tag, decrypt gets the tag alone.
TEST(EvpAesGcm, TagOverAadOnly) {
  auto c = make_cipher(kType, kKeyAndSalt, 16);
  ASSERT_TRUE(c);
  Vector v = rtcp_vector();
  ASSERT_EQ(srtp_cipher_set_iv(c.get(), v.iv.data(), srtp_direction_encrypt), srtp_err_status_ok);
  ASSERT_EQ(srtp_cipher_set_aad(c.get(), v.plaintext.data(), 44), srtp_err_status_ok);
  uint32_t none = 0;
  ASSERT_EQ(srtp_cipher_encrypt(c.get(), nullptr, &none), srtp_err_status_ok);
  std::vector<uint8_t> tag(16);
  uint32_t tag_length = 0;
  ASSERT_EQ(srtp_cipher_get_tag(c.get(), tag.data(), &tag_length), srtp_err_status_ok);
  ASSERT_EQ(tag_length, 16u);

  Vector only_aad{v.iv, v.plaintext, {}, tag};
  std::vector<uint8_t> buffer = tag;
  EXPECT_EQ(open_sealed(c.get(), only_aad, buffer), srtp_err_status_ok);
  EXPECT_TRUE(buffer.empty());
  buffer = tag;
  only_aad.aad[0] ^= 0x01;
  EXPECT_EQ(open_sealed(c.get(), only_aad, buffer), srtp_err_status_auth_fail);
}

TEST(EvpAesGcm, RejectsWrongParametersAndOrder) {
  srtp_cipher_t* raw = nullptr;
  EXPECT_EQ(srtp_cipher_type_alloc(&kType, &raw, 44, 16), srtp_err_status_bad_param);  // 256
  EXPECT_EQ(srtp_cipher_type_alloc(&kType, &raw, 28, 12), srtp_err_status_bad_param);
  auto c = make_cipher(kType, kKeyAndSalt, 16);
  ASSERT_TRUE(c);
  std::vector<uint8_t> buffer(32);
  uint32_t n = 16;
  EXPECT_EQ(srtp_cipher_encrypt(c.get(), buffer.data(), &n), srtp_err_status_bad_param);  // no iv
  std::vector<uint8_t> iv(12);
  EXPECT_EQ(srtp_cipher_set_iv(c.get(), iv.data(), srtp_direction_any), srtp_err_status_bad_param);
  ASSERT_EQ(srtp_cipher_set_iv(c.get(), iv.data(), srtp_direction_decrypt), srtp_err_status_ok);
  EXPECT_EQ(srtp_cipher_encrypt(c.get(), buffer.data(), &n), srtp_err_status_bad_param);
  ASSERT_EQ(srtp_cipher_set_iv(c.get(), iv.data(), srtp_direction_decrypt), srtp_err_status_ok);
  n = 15;  // shorter than the tag
  EXPECT_EQ(srtp_cipher_decrypt(c.get(), buffer.data(), &n), srtp_err_status_bad_param);
}

TEST(EvpAesGcm, PassesItsOwnAndLibsrtpsSelfTests) {
  EXPECT_EQ(srtp_cipher_type_self_test(&kType), srtp_err_status_ok);
  EXPECT_EQ(srtp_cipher_type_test(&kType, &srtp_aes_gcm_128_test_case_0), srtp_err_status_ok);
}

TEST(EvpAesGcm, SrtpLibraryRegistersIt) {
  SrtpLibrary library;
  EXPECT_EQ(srtp_crypto_kernel_get_cipher_type(SRTP_AES_GCM_128), &kType);
}

}  // namespace
}  // namespace turnd::sfu::srtp

// evp_aes_icm: AES-128 integer counter mode against RFC 3711 Appendix B.2
// (keystream) and B.3 (key derivation: the KDF is this cipher keyed with the
// master key and salt, the label in the IV), driven through libsrtp's
// public cipher API; its registration; libsrtp's own self-test data.
#include "sfu/srtp/evp_aes_icm.h"

#include <gtest/gtest.h>

#include "sfu/srtp/srtp_crypto_test_util.h"
#include "sfu/srtp/srtp_library.h"

namespace turnd::sfu::srtp {
namespace {

using test::hex8;
using test::make_cipher;

const srtp_cipher_type_t& kType = evp_aes_icm_128_type();

// `length` bytes of keystream after set_iv(iv).
std::vector<uint8_t> keystream(srtp_cipher_t* c, std::vector<uint8_t> iv, size_t length) {
  std::vector<uint8_t> out(length, 0);
  EXPECT_EQ(srtp_cipher_set_iv(c, iv.data(), srtp_direction_encrypt), srtp_err_status_ok);
  auto n = static_cast<uint32_t>(length);
  EXPECT_EQ(srtp_cipher_encrypt(c, out.data(), &n), srtp_err_status_ok);
  EXPECT_EQ(n, length);
  return out;
}

// RFC 3711 B.2: session key 2B7E..., session salt F0F1...FD, SSRC 0, index 0.
TEST(EvpAesIcm, Rfc3711B2Keystream) {
  auto c =
      make_cipher(kType, hex8("2B7E151628AED2A6ABF7158809CF4F3C F0F1F2F3F4F5F6F7F8F9FAFBFCFD"));
  ASSERT_TRUE(c);
  auto ks = keystream(c.get(), std::vector<uint8_t>(16, 0), 0xff02 * 16);
  EXPECT_EQ(std::vector<uint8_t>(ks.begin(), ks.begin() + 48),
            hex8("E03EAD0935C95E80E166B16DD92B4EB4 D23513162B02D0F72A43A2FE4A5F97AB"
                 "41E95B3BB0A2E8DD477901E4FCA894C0"));
  EXPECT_EQ(std::vector<uint8_t>(ks.begin() + 0xfeff * 16, ks.end()),
            hex8("EC8CDF7398607CB0F2D21675EA9EA1E4 362B7C3C6773516318A077D7FC5073AE"
                 "6A2CC3787889374FBEB4C81B17BA6C44"));
}

// RFC 3711 B.3: master key E1F9..., master salt 0EC6..., key derivation
// rate 0: label 0 the cipher key, 1 the auth key (all 94 bytes the RFC
// lists), 2 the cipher salt. libsrtp's KDF puts the label in byte 7 of the IV.
TEST(EvpAesIcm, Rfc3711B3KeyDerivation) {
  auto c =
      make_cipher(kType, hex8("E1F97A0D3E018BE0D64FA32C06DE4139 0EC675AD498AFEEBB6960B3AABE6"));
  ASSERT_TRUE(c);
  auto label_iv = [](uint8_t label) {
    std::vector<uint8_t> iv(16, 0);
    iv[7] = label;
    return iv;
  };
  EXPECT_EQ(keystream(c.get(), label_iv(0), 16), hex8("C61E7A93744F39EE10734AFE3FF7A087"));
  EXPECT_EQ(keystream(c.get(), label_iv(2), 14), hex8("30CBBC08863D8C85D49DB34A9AE1"));
  EXPECT_EQ(keystream(c.get(), label_iv(1), 94),
            hex8("CEBE321F6FF7716B6FD4AB49AF256A15 6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                 "E049646C43D9327AD175578EF7227098 6371C10C9A369AC2F94A8C5FBCDDDC25"
                 "6D6E919A48B610EF17C2041E47403576 6B68642C59BBFC2F34DB60DBDFB2"));
}

// Encryption continues the keystream across calls, mid-block too, and
// decryption is the same operation.
TEST(EvpAesIcm, KeystreamContinuesAcrossCallsAndDecryptInverts) {
  auto key = hex8("2B7E151628AED2A6ABF7158809CF4F3C F0F1F2F3F4F5F6F7F8F9FAFBFCFD");
  auto c = make_cipher(kType, key);
  ASSERT_TRUE(c);
  std::vector<uint8_t> iv = hex8("00000000 11223344 000000000001 0000");
  auto whole = keystream(c.get(), iv, 100);
  std::vector<uint8_t> parts(100, 0);
  ASSERT_EQ(srtp_cipher_set_iv(c.get(), iv.data(), srtp_direction_encrypt), srtp_err_status_ok);
  uint32_t n = 7;
  ASSERT_EQ(srtp_cipher_encrypt(c.get(), parts.data(), &n), srtp_err_status_ok);
  n = 93;
  ASSERT_EQ(srtp_cipher_encrypt(c.get(), parts.data() + 7, &n), srtp_err_status_ok);
  EXPECT_EQ(parts, whole);

  ASSERT_EQ(srtp_cipher_set_iv(c.get(), iv.data(), srtp_direction_decrypt), srtp_err_status_ok);
  n = 100;
  ASSERT_EQ(srtp_cipher_decrypt(c.get(), parts.data(), &n), srtp_err_status_ok);
  EXPECT_EQ(parts, std::vector<uint8_t>(100, 0));
}

// The block counter is 16 bits: no more than 2^16 blocks per IV (libsrtp's
// own AES-ICM refuses too), never a carry into the packet index.
TEST(EvpAesIcm, RefusesToWrapTheBlockCounter) {
  auto c =
      make_cipher(kType, hex8("2B7E151628AED2A6ABF7158809CF4F3C F0F1F2F3F4F5F6F7F8F9FAFBFCFD"));
  ASSERT_TRUE(c);
  std::vector<uint8_t> buffer(0x10000 * 16 + 1, 0);
  std::vector<uint8_t> iv(16, 0);
  ASSERT_EQ(srtp_cipher_set_iv(c.get(), iv.data(), srtp_direction_encrypt), srtp_err_status_ok);
  auto n = static_cast<uint32_t>(buffer.size());
  EXPECT_EQ(srtp_cipher_encrypt(c.get(), buffer.data(), &n), srtp_err_status_terminus);
  n = static_cast<uint32_t>(buffer.size() - 1);  // exactly 2^16 blocks is fine
  EXPECT_EQ(srtp_cipher_encrypt(c.get(), buffer.data(), &n), srtp_err_status_ok);
  n = 1;
  EXPECT_EQ(srtp_cipher_encrypt(c.get(), buffer.data(), &n), srtp_err_status_terminus);
}

TEST(EvpAesIcm, RejectsOtherKeyLengths) {
  srtp_cipher_t* c = nullptr;
  EXPECT_EQ(srtp_cipher_type_alloc(&kType, &c, 46, 0), srtp_err_status_bad_param);  // AES-256
  EXPECT_EQ(srtp_cipher_type_alloc(&kType, &c, 16, 0), srtp_err_status_bad_param);  // no salt
}

// What srtp_replace_cipher_type() checks: our vectors and those libsrtp
// ships for the type it replaces.
TEST(EvpAesIcm, PassesItsOwnAndLibsrtpsSelfTests) {
  EXPECT_EQ(srtp_cipher_type_self_test(&kType), srtp_err_status_ok);
  EXPECT_EQ(srtp_cipher_type_test(&kType, &srtp_aes_icm_128_test_case_0), srtp_err_status_ok);
}

TEST(EvpAesIcm, SrtpLibraryRegistersIt) {
  SrtpLibrary library;
  EXPECT_EQ(srtp_crypto_kernel_get_cipher_type(SRTP_AES_ICM_128), &kType);
}

}  // namespace
}  // namespace turnd::sfu::srtp

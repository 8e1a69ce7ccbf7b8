// SrtpSession with turnd's OpenSSL crypto (SrtpLibrary) against references
// that share none of it:
//  - whole packets computed independently from RFC 3711 §4 (AES-CM, the KDF,
//    HMAC-SHA1 over the packet and ROC) and RFC 7714 §8-§9 (AES-GCM, IV and
//    AAD, SRTCP trailer) with Python's `cryptography`; the AES-CM RTP packet
//    is also the one libsrtp's own test/srtp_driver.c checks;
//  - libsrtp's built-in crypto (Debian's build: NSS), swapped back into the
//    kernel for the sessions made while a BuiltInCrypto lives: the same
//    packets protect to the same bytes, and each side unprotects the other's.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <optional>
#include <vector>

#include "sfu/srtp/evp_aes_gcm.h"
#include "sfu/srtp/evp_aes_icm.h"
#include "sfu/srtp/hmac_sha1.h"
#include "sfu/srtp/srtp_crypto_test_util.h"
#include "sfu/srtp/srtp_session.h"

namespace turnd::sfu::srtp {
namespace {

using test::hex8;

// While alive, the kernel hands out libsrtp's built-in types; sessions keep
// the instances they were made with after it is gone. Tests run one at a time.
class BuiltInCrypto {
 public:
  explicit BuiltInCrypto(const SrtpLibrary&) {
    EXPECT_EQ(srtp_replace_cipher_type(&srtp_aes_icm_128, SRTP_AES_ICM_128), srtp_err_status_ok);
    EXPECT_EQ(srtp_replace_cipher_type(&srtp_aes_gcm_128, SRTP_AES_GCM_128), srtp_err_status_ok);
    EXPECT_EQ(srtp_replace_auth_type(&srtp_hmac, SRTP_HMAC_SHA1), srtp_err_status_ok);
  }
  ~BuiltInCrypto() {
    EXPECT_EQ(srtp_replace_cipher_type(&evp_aes_icm_128_type(), SRTP_AES_ICM_128),
              srtp_err_status_ok);
    EXPECT_EQ(srtp_replace_cipher_type(&evp_aes_gcm_128_type(), SRTP_AES_GCM_128),
              srtp_err_status_ok);
    EXPECT_EQ(srtp_replace_auth_type(&hmac_sha1_type(), SRTP_HMAC_SHA1), srtp_err_status_ok);
  }
  BuiltInCrypto(const BuiltInCrypto&) = delete;
  BuiltInCrypto& operator=(const BuiltInCrypto&) = delete;
};

// The master key and salt of RFC 3711 B.3 (GCM: the salt's first 12 bytes).
SrtpSessionConfig config(SrtpProfile profile, SrtpDirection direction) {
  SrtpSessionConfig c;
  c.profile = profile;
  c.direction = direction;
  auto key = hex8("e1f97a0d3e018be0d64fa32c06de4139");
  auto salt = hex8("0ec675ad498afeebb6960b3aabe6");
  std::memcpy(c.master_key.data(), key.data(), key.size());
  std::memcpy(c.master_salt.data(), salt.data(), master_salt_length(profile));
  return c;
}

struct Packet {
  alignas(4) std::array<std::byte, 1600> buffer{};
  size_t length = 0;

  explicit Packet(const std::vector<uint8_t>& bytes) : length(bytes.size()) {
    std::memcpy(buffer.data(), bytes.data(), bytes.size());
  }
  std::vector<uint8_t> bytes() const {
    auto* p = reinterpret_cast<const uint8_t*>(buffer.data());
    return {p, p + length};
  }
};

// SSRC 0xcafebabe, SEQ 0x1234, ROC 0; SRTCP index 1 (the first sent).
const std::vector<uint8_t> kRtp =
    hex8("800f1234 decafbad cafebabe abababab abababab abababab abababab");
const std::vector<uint8_t> kRtcp = hex8(
    "81c8000b cafebabe abababab abababab abababab abababab abababab abababab abababab abababab"
    "abababab abababab");

struct Expected {
  SrtpProfile profile;
  std::vector<uint8_t> srtp, srtcp;
};

const Expected kExpected[] = {
    {SrtpProfile::kAes128CmHmacSha1_80,
     hex8("800f1234 decafbad cafebabe 4e55dc4c e79978d8 8ca4d215 949d2402 b78d6acc 99ea179b 8dbb"),
     hex8("81c8000b cafebabe 7128035b e487b9bd bef89041 f977a5a8 d5efb881 6abf868c 340e5082"
          "be1e90ca 6bdd3195 4a81a47d 80000001 63a50d16 b5143956 3031")},
    {SrtpProfile::kAeadAes128Gcm,
     hex8("800f1234 decafbad cafebabe 0eca0cf9 5ee955b2 6cd3d288 b49f6ca9 59171450 975f4144"
          "da9cdd7a e989a277"),
     hex8("81c8000b cafebabe ea6e5eb3 c75c4620 00f59ebf 9e4ebd4e 92ccf6f1 07a35cd2 bb895994"
          "b50d7a15 a1e736db b2ef1581 01c94057 5e7bff19 e69d24a5 9ba2abc2 80000001")},
};

class KnownPackets : public ::testing::TestWithParam<Expected> {
 protected:
  SrtpLibrary library_;
};

TEST_P(KnownPackets, ProtectGivesTheReferenceBytes) {
  const Expected& e = GetParam();
  SrtpSession out(library_, config(e.profile, SrtpDirection::kOutbound));
  Packet rtp(kRtp);
  SrtpResult r = out.protect_rtp(rtp.buffer, rtp.length);
  ASSERT_TRUE(r.ok()) << to_string(r.status);
  rtp.length = r.length;
  EXPECT_EQ(rtp.bytes(), e.srtp);
  Packet rtcp(kRtcp);
  r = out.protect_rtcp(rtcp.buffer, rtcp.length);
  ASSERT_TRUE(r.ok()) << to_string(r.status);
  rtcp.length = r.length;
  EXPECT_EQ(rtcp.bytes(), e.srtcp);
}

TEST_P(KnownPackets, UnprotectAcceptsTheReferenceBytes) {
  const Expected& e = GetParam();
  SrtpSession in(library_, config(e.profile, SrtpDirection::kInbound));
  Packet rtp(e.srtp);
  SrtpResult r = in.unprotect_rtp(rtp.buffer, rtp.length);
  ASSERT_TRUE(r.ok()) << to_string(r.status);
  rtp.length = r.length;
  EXPECT_EQ(rtp.bytes(), kRtp);
  Packet rtcp(e.srtcp);
  r = in.unprotect_rtcp(rtcp.buffer, rtcp.length);
  ASSERT_TRUE(r.ok()) << to_string(r.status);
  rtcp.length = r.length;
  EXPECT_EQ(rtcp.bytes(), kRtcp);
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, KnownPackets, ::testing::ValuesIn(kExpected),
                         [](const auto& info) {
                           return info.param.profile == SrtpProfile::kAeadAes128Gcm ? "Gcm"
                                                                                    : "CmSha1_80";
                         });

// RTP packets of several SSRCs, sequence numbers and sizes (0 to 1200 bytes
// of payload, one with CSRCs and a header extension); RTCP compound packets.
std::vector<std::vector<uint8_t>> rtp_packets() {
  std::vector<std::vector<uint8_t>> out;
  uint16_t seq = 65530;  // crosses the rollover
  for (size_t payload : {0, 1, 15, 16, 17, 100, 160, 1200}) {
    for (uint32_t ssrc : {0x11111111u, 0x22222222u}) {
      std::vector<uint8_t> p = {0x80,
                                0x60,
                                uint8_t(seq >> 8),
                                uint8_t(seq),
                                0,
                                1,
                                2,
                                3,
                                uint8_t(ssrc >> 24),
                                uint8_t(ssrc >> 16),
                                uint8_t(ssrc >> 8),
                                uint8_t(ssrc)};
      for (size_t i = 0; i < payload; ++i) p.push_back(uint8_t(i * 31 + payload));
      out.push_back(p);
    }
    ++seq;
  }
  // CC=2, X=1: two CSRCs and a one-word extension stay in the clear.
  auto x = hex8("92600007 00000010 33333333 aaaaaaaa bbbbbbbb bede0001 10ff0000");
  for (int i = 0; i < 50; ++i) x.push_back(uint8_t(i));
  out.push_back(x);
  return out;
}

std::vector<std::vector<uint8_t>> rtcp_packets() {
  auto sr = hex8("80c80006 11111111 00000001 00000002 00000003 00000004 00000005");
  auto rr_pli = hex8(
      "81c90007 22222222 11111111 00000000 00000001 00000002 00000003 00000004"
      "81ce0002 22222222 11111111");
  return {sr, rr_pli, rr_pli};
}

class AgainstBuiltInCrypto : public ::testing::TestWithParam<SrtpProfile> {
 protected:
  SrtpLibrary library_;
};

// Same keys, same packets: the reference and ours produce the same bytes,
// so each also unprotects what the other protected.
TEST_P(AgainstBuiltInCrypto, SameBytesBothWays) {
  SrtpProfile profile = GetParam();
  std::optional<SrtpSession> ref_out, ref_in;
  {
    BuiltInCrypto builtin(library_);
    EXPECT_EQ(srtp_crypto_kernel_get_cipher_type(SRTP_AES_GCM_128), &srtp_aes_gcm_128);
    ref_out.emplace(library_, config(profile, SrtpDirection::kOutbound));
    ref_in.emplace(library_, config(profile, SrtpDirection::kInbound));
  }
  ASSERT_EQ(srtp_crypto_kernel_get_cipher_type(SRTP_AES_GCM_128), &evp_aes_gcm_128_type());
  SrtpSession our_out(library_, config(profile, SrtpDirection::kOutbound));
  SrtpSession our_in(library_, config(profile, SrtpDirection::kInbound));

  auto check = [&](bool rtcp, const std::vector<uint8_t>& plain) {
    Packet theirs(plain), ours(plain);
    SrtpResult a = rtcp ? ref_out->protect_rtcp(theirs.buffer, theirs.length)
                        : ref_out->protect_rtp(theirs.buffer, theirs.length);
    SrtpResult b = rtcp ? our_out.protect_rtcp(ours.buffer, ours.length)
                        : our_out.protect_rtp(ours.buffer, ours.length);
    ASSERT_TRUE(a.ok() && b.ok());
    theirs.length = a.length;
    ours.length = b.length;
    EXPECT_EQ(ours.bytes(), theirs.bytes()) << plain.size() << " bytes, rtcp " << rtcp;
    // Ours unprotects theirs, theirs unprotects ours.
    a = rtcp ? our_in.unprotect_rtcp(theirs.buffer, theirs.length)
             : our_in.unprotect_rtp(theirs.buffer, theirs.length);
    b = rtcp ? ref_in->unprotect_rtcp(ours.buffer, ours.length)
             : ref_in->unprotect_rtp(ours.buffer, ours.length);
    ASSERT_TRUE(a.ok()) << to_string(a.status);
    ASSERT_TRUE(b.ok()) << to_string(b.status);
    theirs.length = a.length;
    ours.length = b.length;
    EXPECT_EQ(theirs.bytes(), plain);
    EXPECT_EQ(ours.bytes(), plain);
  };
  for (const auto& p : rtp_packets()) check(false, p);
  for (const auto& p : rtcp_packets()) check(true, p);
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, AgainstBuiltInCrypto,
                         ::testing::Values(SrtpProfile::kAeadAes128Gcm,
                                           SrtpProfile::kAes128CmHmacSha1_80),
                         [](const auto& info) {
                           return info.param == SrtpProfile::kAeadAes128Gcm ? "Gcm" : "CmSha1_80";
                         });

}  // namespace
}  // namespace turnd::sfu::srtp

// SrtpSession: protect/unprotect round trips for both profiles, tampering,
// replay, the replay window, RTCP, retransmission on outbound sessions and
// the buffer contract.
#include "sfu/srtp/srtp_session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <vector>

namespace turnd::sfu::srtp {
namespace {

SrtpSessionConfig config_for(SrtpProfile profile, SrtpDirection direction,
                             uint16_t replay_window = 1024) {
  SrtpSessionConfig c;
  c.profile = profile;
  c.direction = direction;
  c.replay_window = replay_window;
  for (size_t i = 0; i < c.master_key.size(); ++i) c.master_key[i] = std::byte(0x10 + i);
  for (size_t i = 0; i < c.master_salt.size(); ++i) c.master_salt[i] = std::byte(0xA0 + i);
  return c;
}

// A 12-byte RTP header (version 2, PT 96) and a recognisable payload, in a
// buffer with room for any trailer.
struct Packet {
  alignas(4) std::array<std::byte, 256> buffer{};
  size_t length = 0;
  MutableBytes span() { return buffer; }
  std::vector<std::byte> bytes() const { return {buffer.begin(), buffer.begin() + length}; }
};

Packet rtp_packet(uint16_t seq, uint32_t ssrc = 0x11223344, size_t payload = 100) {
  Packet p;
  p.buffer[0] = std::byte{0x80};
  p.buffer[1] = std::byte{96};
  store_be16(p.buffer.data() + 2, seq);
  store_be32(p.buffer.data() + 4, 90000u * seq);
  store_be32(p.buffer.data() + 8, ssrc);
  for (size_t i = 0; i < payload; ++i) p.buffer[12 + i] = std::byte(i);
  p.length = 12 + payload;
  return p;
}

// An RTCP receiver report with one report block.
Packet rtcp_packet(uint32_t ssrc = 0x55667788) {
  Packet p;
  p.buffer[0] = std::byte{0x81};
  p.buffer[1] = std::byte{201};
  store_be16(p.buffer.data() + 2, 7);  // length in words minus one: 32 bytes
  store_be32(p.buffer.data() + 4, ssrc);
  for (size_t i = 8; i < 32; ++i) p.buffer[i] = std::byte(i);
  p.length = 32;
  return p;
}

class SrtpProfiles : public ::testing::TestWithParam<SrtpProfile> {
 protected:
  SrtpLibrary library_;
  SrtpSession out_{library_, config_for(GetParam(), SrtpDirection::kOutbound)};
  SrtpSession in_{library_, config_for(GetParam(), SrtpDirection::kInbound)};
};

TEST_P(SrtpProfiles, RtpRoundTrip) {
  for (uint16_t seq = 1; seq <= 5; ++seq) {
    Packet p = rtp_packet(seq);
    auto plain = p.bytes();
    SrtpResult r = out_.protect_rtp(p.span(), p.length);
    ASSERT_TRUE(r.ok()) << to_string(r.status);
    EXPECT_EQ(r.length, plain.size() + rtp_overhead(GetParam()));
    EXPECT_TRUE(std::equal(plain.begin(), plain.begin() + 12, p.buffer.begin()));  // header clear
    EXPECT_FALSE(std::equal(plain.begin() + 12, plain.end(), p.buffer.begin() + 12));

    r = in_.unprotect_rtp(p.span(), r.length);
    ASSERT_TRUE(r.ok()) << to_string(r.status);
    p.length = r.length;
    EXPECT_EQ(p.bytes(), plain);
  }
}

TEST_P(SrtpProfiles, TamperedPacketFailsAuthentication) {
  Packet p = rtp_packet(1);
  SrtpResult r = out_.protect_rtp(p.span(), p.length);
  ASSERT_TRUE(r.ok());
  p.buffer[20] ^= std::byte{0x01};
  EXPECT_EQ(in_.unprotect_rtp(p.span(), r.length).status, SrtpStatus::kAuthFailed);
}

TEST_P(SrtpProfiles, ReplayIsRejected) {
  Packet p = rtp_packet(7);
  SrtpResult r = out_.protect_rtp(p.span(), p.length);
  ASSERT_TRUE(r.ok());
  Packet copy = p;
  ASSERT_TRUE(in_.unprotect_rtp(p.span(), r.length).ok());
  EXPECT_EQ(in_.unprotect_rtp(copy.span(), r.length).status, SrtpStatus::kReplayed);
}

TEST_P(SrtpProfiles, RtcpRoundTrip) {
  Packet p = rtcp_packet();
  auto plain = p.bytes();
  SrtpResult r = out_.protect_rtcp(p.span(), p.length);
  ASSERT_TRUE(r.ok()) << to_string(r.status);
  EXPECT_EQ(r.length, plain.size() + rtcp_overhead(GetParam()));
  Packet copy = p;
  r = in_.unprotect_rtcp(p.span(), r.length);
  ASSERT_TRUE(r.ok()) << to_string(r.status);
  p.length = r.length;
  EXPECT_EQ(p.bytes(), plain);
  // SRTCP has its own replay protection.
  EXPECT_EQ(in_.unprotect_rtcp(copy.span(), plain.size() + rtcp_overhead(GetParam())).status,
            SrtpStatus::kReplayed);
}

TEST_P(SrtpProfiles, TamperedRtcpFailsAuthentication) {
  Packet p = rtcp_packet();
  SrtpResult r = out_.protect_rtcp(p.span(), p.length);
  ASSERT_TRUE(r.ok());
  p.buffer[10] ^= std::byte{0x80};
  EXPECT_EQ(in_.unprotect_rtcp(p.span(), r.length).status, SrtpStatus::kAuthFailed);
}

TEST_P(SrtpProfiles, OutboundAllowsRetransmissionOfTheSameSequence) {
  Packet first = rtp_packet(42);
  Packet again = rtp_packet(42);
  ASSERT_TRUE(out_.protect_rtp(first.span(), first.length).ok());
  SrtpResult r = out_.protect_rtp(again.span(), again.length);
  ASSERT_TRUE(r.ok()) << to_string(r.status);
  EXPECT_EQ(first.buffer, again.buffer);  // same keystream, same bytes: an RTX resend
}

TEST_P(SrtpProfiles, ManySsrcsShareOneSession) {
  for (uint32_t ssrc : {1u, 2u, 3u}) {
    Packet p = rtp_packet(1, ssrc);
    auto plain = p.bytes();
    SrtpResult r = out_.protect_rtp(p.span(), p.length);
    ASSERT_TRUE(r.ok());
    r = in_.unprotect_rtp(p.span(), r.length);
    ASSERT_TRUE(r.ok()) << ssrc;
    p.length = r.length;
    EXPECT_EQ(p.bytes(), plain);
  }
}

INSTANTIATE_TEST_SUITE_P(BothProfiles, SrtpProfiles,
                         ::testing::Values(SrtpProfile::kAeadAes128Gcm,
                                           SrtpProfile::kAes128CmHmacSha1_80),
                         [](const auto& info) {
                           return info.param == SrtpProfile::kAeadAes128Gcm ? "Gcm" : "CmSha1_80";
                         });

// A peer with the keys cannot make libsrtp keep a stream per invented SSRC:
// past kMaxInboundStreams the least recently used goes (issue 11, class 5).
TEST(SrtpSession, InboundKeepsABoundedNumberOfStreams) {
  SrtpLibrary library;
  SrtpSession out(library, config_for(SrtpProfile::kAeadAes128Gcm, SrtpDirection::kOutbound));
  SrtpSession in(library, config_for(SrtpProfile::kAeadAes128Gcm, SrtpDirection::kInbound));
  auto send = [&](uint16_t seq, uint32_t ssrc) {
    Packet p = rtp_packet(seq, ssrc);
    SrtpResult r = out.protect_rtp(p.span(), p.length);
    EXPECT_TRUE(r.ok());
    p.length = r.length;
    return p;
  };
  constexpr uint32_t kSsrcs = 100;
  for (uint32_t ssrc = 1; ssrc <= kSsrcs; ++ssrc) {
    Packet p = send(1, ssrc);
    ASSERT_TRUE(in.unprotect_rtp(p.span(), p.length).ok()) << ssrc;
  }
  EXPECT_EQ(in.inbound_streams(), SrtpSession::kMaxInboundStreams);
  EXPECT_EQ(in.removed_streams(), kSsrcs - SrtpSession::kMaxInboundStreams);
  // The recent ones keep their replay windows ...
  Packet again = send(1, kSsrcs);
  EXPECT_EQ(in.unprotect_rtp(again.span(), again.length).status, SrtpStatus::kReplayed);
  Packet next = send(2, kSsrcs);
  EXPECT_TRUE(in.unprotect_rtp(next.span(), next.length).ok());
  // ... and one removed long ago starts afresh when it comes back.
  Packet back = send(2, 1);
  EXPECT_TRUE(in.unprotect_rtp(back.span(), back.length).ok());
  EXPECT_EQ(in.inbound_streams(), SrtpSession::kMaxInboundStreams);
  // RTCP senders count as well; a packet that fails to authenticate adds
  // nothing.
  const uint64_t removed = in.removed_streams();
  Packet bad = send(3, 5000);
  bad.buffer[20] ^= std::byte{1};
  EXPECT_FALSE(in.unprotect_rtp(bad.span(), bad.length).ok());
  EXPECT_EQ(in.removed_streams(), removed);
  Packet report = rtcp_packet(6000);
  SrtpResult r = out.protect_rtcp(report.span(), report.length);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(in.unprotect_rtcp(report.span(), r.length).ok());
  EXPECT_EQ(in.removed_streams(), removed + 1);
}

TEST(SrtpSession, PacketBehindTheReplayWindowIsTooOld) {
  SrtpLibrary library;
  auto profile = SrtpProfile::kAeadAes128Gcm;
  SrtpSession out(library, config_for(profile, SrtpDirection::kOutbound));
  SrtpSession in(library, config_for(profile, SrtpDirection::kInbound, 64));
  Packet old_packet = rtp_packet(300);
  Packet new_packet = rtp_packet(500);
  SrtpResult old_r = out.protect_rtp(old_packet.span(), old_packet.length);
  SrtpResult new_r = out.protect_rtp(new_packet.span(), new_packet.length);
  ASSERT_TRUE(old_r.ok() && new_r.ok());
  ASSERT_TRUE(in.unprotect_rtp(new_packet.span(), new_r.length).ok());
  EXPECT_EQ(in.unprotect_rtp(old_packet.span(), old_r.length).status, SrtpStatus::kTooOld);
}

TEST(SrtpSession, ProtectNeedsRoomForTheTrailer) {
  SrtpLibrary library;
  SrtpSession out(library, config_for(SrtpProfile::kAes128CmHmacSha1_80, SrtpDirection::kOutbound));
  Packet p = rtp_packet(1, 0x11223344, 20);
  MutableBytes tight(p.buffer.data(), p.length + rtp_overhead(out.profile()) - 1);
  EXPECT_EQ(out.protect_rtp(tight, p.length).status, SrtpStatus::kNoRoom);
  MutableBytes exact(p.buffer.data(), p.length + rtp_overhead(out.profile()));
  EXPECT_EQ(out.protect_rtp(exact, p.length).length, exact.size());
}

TEST(SrtpSession, DirectionIsEnforced) {
  SrtpLibrary library;
  auto profile = SrtpProfile::kAeadAes128Gcm;
  SrtpSession out(library, config_for(profile, SrtpDirection::kOutbound));
  SrtpSession in(library, config_for(profile, SrtpDirection::kInbound));
  Packet p = rtp_packet(1);
  EXPECT_EQ(in.protect_rtp(p.span(), p.length).status, SrtpStatus::kWrongDirection);
  EXPECT_EQ(out.unprotect_rtp(p.span(), p.length).status, SrtpStatus::kWrongDirection);
}

TEST(SrtpSession, RuntPacketsAreMalformed) {
  SrtpLibrary library;
  SrtpSession in(library, config_for(SrtpProfile::kAeadAes128Gcm, SrtpDirection::kInbound));
  Packet p = rtp_packet(1);
  EXPECT_EQ(in.unprotect_rtp(p.span(), 8).status, SrtpStatus::kMalformed);
  EXPECT_EQ(in.unprotect_rtcp(p.span(), 4).status, SrtpStatus::kMalformed);
  EXPECT_EQ(in.unprotect_rtp(p.span(), p.buffer.size() + 1).status, SrtpStatus::kMalformed);
}

TEST(SrtpSession, DifferentKeysDoNotInteroperate) {
  SrtpLibrary library;
  auto profile = SrtpProfile::kAeadAes128Gcm;
  SrtpSession out(library, config_for(profile, SrtpDirection::kOutbound));
  auto other = config_for(profile, SrtpDirection::kInbound);
  other.master_key[0] ^= std::byte{1};
  SrtpSession in(library, other);
  Packet p = rtp_packet(1);
  SrtpResult r = out.protect_rtp(p.span(), p.length);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(in.unprotect_rtp(p.span(), r.length).status, SrtpStatus::kAuthFailed);
}

TEST(SrtpSession, BadReplayWindowThrows) {
  SrtpLibrary library;
  auto c = config_for(SrtpProfile::kAeadAes128Gcm, SrtpDirection::kInbound, 32);
  EXPECT_THROW(SrtpSession(library, c), std::runtime_error);
}

TEST(SrtpSession, MoveKeepsTheSession) {
  SrtpLibrary library;
  auto profile = SrtpProfile::kAes128CmHmacSha1_80;
  SrtpSession out(library, config_for(profile, SrtpDirection::kOutbound));
  SrtpSession in(library, config_for(profile, SrtpDirection::kInbound));
  SrtpSession moved = std::move(out);
  Packet p = rtp_packet(9);
  SrtpResult r = moved.protect_rtp(p.span(), p.length);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(in.unprotect_rtp(p.span(), r.length).ok());
}

}  // namespace
}  // namespace turnd::sfu::srtp

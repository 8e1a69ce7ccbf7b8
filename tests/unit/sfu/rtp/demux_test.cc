// RFC 7983 first-byte demultiplexing with RFC 5761's RTP/RTCP split.
#include "sfu/rtp/demux.h"

#include <gtest/gtest.h>

#include <array>

namespace turnd::sfu::rtp {
namespace {

PacketKind kind_of(std::initializer_list<uint8_t> bytes) {
  std::vector<std::byte> data;
  for (uint8_t b : bytes) data.push_back(std::byte{b});
  return classify(data);
}

TEST(Demux, FirstByteRanges) {
  EXPECT_EQ(kind_of({0x00, 0x01}), PacketKind::kStun);  // Binding request
  EXPECT_EQ(kind_of({0x01, 0x01}), PacketKind::kStun);  // Binding success
  EXPECT_EQ(kind_of({0x03}), PacketKind::kStun);
  EXPECT_EQ(kind_of({0x04}), PacketKind::kUnknown);
  EXPECT_EQ(kind_of({0x10}), PacketKind::kUnknown);           // ZRTP
  EXPECT_EQ(kind_of({0x14, 0xFE}), PacketKind::kDtls);        // ChangeCipherSpec
  EXPECT_EQ(kind_of({0x16, 0xFE, 0xFD}), PacketKind::kDtls);  // handshake
  EXPECT_EQ(kind_of({0x17}), PacketKind::kDtls);              // application data
  EXPECT_EQ(kind_of({0x3F}), PacketKind::kDtls);
  EXPECT_EQ(kind_of({0x40, 0x00}), PacketKind::kUnknown);  // TURN ChannelData
  EXPECT_EQ(kind_of({0x7F}), PacketKind::kUnknown);
  EXPECT_EQ(kind_of({0xC0}), PacketKind::kUnknown);  // QUIC long header
  EXPECT_EQ(kind_of({}), PacketKind::kUnknown);
}

TEST(Demux, RtpAndRtcpBySecondByte) {
  EXPECT_EQ(kind_of({0x80, 0x6F}), PacketKind::kRtp);   // PT 111 (Opus)
  EXPECT_EQ(kind_of({0x80, 0xE0}), PacketKind::kRtp);   // marker, PT 96 (VP8)
  EXPECT_EQ(kind_of({0x90, 0x00}), PacketKind::kRtp);   // PCMU with extension
  EXPECT_EQ(kind_of({0x80, 0xC8}), PacketKind::kRtcp);  // SR
  EXPECT_EQ(kind_of({0x81, 0xC9}), PacketKind::kRtcp);  // RR
  EXPECT_EQ(kind_of({0x8F, 0xCD}), PacketKind::kRtcp);  // RTPFB transport-cc
  EXPECT_EQ(kind_of({0x81, 0xCE}), PacketKind::kRtcp);  // PSFB PLI
  EXPECT_EQ(kind_of({0x80, 0xDF}), PacketKind::kRtcp);  // 223: last RTCP type
  EXPECT_EQ(kind_of({0x80, 0xBF}), PacketKind::kRtp);   // 191: marker + PT 63
  EXPECT_EQ(kind_of({0x80}), PacketKind::kUnknown);
  EXPECT_STREQ(to_string(PacketKind::kRtcp), "rtcp");
}

TEST(Demux, IsConstexpr) {
  static constexpr std::array<std::byte, 2> kSr{std::byte{0x80}, std::byte{200}};
  static_assert(classify(kSr) == PacketKind::kRtcp);
  SUCCEED();
}

}  // namespace
}  // namespace turnd::sfu::rtp

// RTCP feedback on hand-assembled bytes (RFC 4585 §6.2.1 NACK, §6.3.1 PLI,
// RFC 5104 §4.3.1 FIR, the REMB draft's §2.2 layout, transport-cc §3.1), the
// NACK PID/BLP packing with wrap-around, and every builder round-tripped.
#include "sfu/rtp/rtcp_feedback.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "sfu/rtp/hex.h"
#include "sfu/rtp/transport_cc.h"

namespace turnd::sfu::rtp {
namespace {

using test::hex;

// The view points into `data`: keep it alive while the view is used.
RtcpPacketView packet_of(Bytes data) {
  RtcpPacketView p;
  EXPECT_EQ(RtcpPacketView::parse(data, p), RtcpError::kOk);
  return p;
}

std::vector<uint16_t> lost_of(const NackView& nack) {
  std::vector<uint16_t> lost;
  nack.for_each_lost([&](uint16_t seq) { lost.push_back(seq); });
  return lost;
}

TEST(Nack, ParsesPidAndBlp) {
  // PID 10, BLP 0x8005: 10 lost, and 11, 13, 26.
  auto data = hex("81 CD 00 03  11 22 33 44  55 66 77 88  00 0A 80 05");
  NackView nack;
  ASSERT_EQ(NackView::parse(packet_of(data), nack), RtcpError::kOk);
  EXPECT_EQ(nack.sender_ssrc(), 0x11223344u);
  EXPECT_EQ(nack.media_ssrc(), 0x55667788u);
  ASSERT_EQ(nack.item_count(), 1u);
  EXPECT_EQ(nack.pid(0), 10);
  EXPECT_EQ(nack.blp(0), 0x8005);
  EXPECT_EQ(lost_of(nack), (std::vector<uint16_t>{10, 11, 13, 26}));
}

TEST(Nack, ExpandsAcrossWrapAround) {
  auto data = hex("81 CD 00 04  11 22 33 44  55 66 77 88  FF FE 00 07  00 10 00 00");
  NackView nack;
  ASSERT_EQ(NackView::parse(packet_of(data), nack), RtcpError::kOk);
  EXPECT_EQ(lost_of(nack), (std::vector<uint16_t>{65534, 65535, 0, 1, 16}));
}

TEST(Nack, BuilderPacksPidBlp) {
  std::array<std::byte, 64> buffer{};
  // 10 and the next 16 in one item; 27 starts the next; duplicates collapse.
  const std::vector<uint16_t> lost{10, 11, 13, 13, 26, 27, 43, 44};
  EXPECT_EQ(nack_item_count(lost), 3u);
  const size_t n = build_nack(buffer, 0x11223344, 0x55667788, lost);
  ASSERT_EQ(n, 12u + 3 * 4);
  EXPECT_EQ(std::vector<std::byte>(buffer.begin(), buffer.begin() + 16),
            hex("81 CD 00 05  11 22 33 44  55 66 77 88  00 0A 80 05"));
  NackView nack;
  ASSERT_EQ(NackView::parse(packet_of({buffer.begin(), buffer.begin() + n}), nack), RtcpError::kOk);
  EXPECT_EQ(nack.pid(1), 27);
  EXPECT_EQ(nack.blp(1), 0x8000);  // 43 = 27 + 16
  EXPECT_EQ(nack.pid(2), 44);
  EXPECT_EQ(nack.blp(2), 0);
  EXPECT_EQ(lost_of(nack), (std::vector<uint16_t>{10, 11, 13, 26, 27, 43, 44}));
}

TEST(Nack, BuilderPacksAcrossWrapAround) {
  std::array<std::byte, 64> buffer{};
  const std::vector<uint16_t> lost{65530, 65535, 0, 5, 10, 11};
  const size_t n = build_nack(buffer, 1, 2, lost);
  ASSERT_EQ(n, 20u);  // 65530 covers up to 10; 11 needs a second item
  NackView nack;
  ASSERT_EQ(NackView::parse(packet_of({buffer.begin(), buffer.begin() + n}), nack), RtcpError::kOk);
  EXPECT_EQ(nack.pid(0), 65530);
  EXPECT_EQ(nack.blp(0), (1 << 4) | (1 << 5) | (1 << 10) | (1 << 15));
  EXPECT_EQ(nack.pid(1), 11);
  EXPECT_EQ(lost_of(nack), lost);
}

TEST(Nack, BuilderRefusesEmptyOrTooSmall) {
  std::array<std::byte, 64> buffer{};
  EXPECT_EQ(build_nack(buffer, 1, 2, {}), 0u);
  const std::vector<uint16_t> lost{1, 100};
  EXPECT_EQ(build_nack(MutableBytes(buffer).first(19), 1, 2, lost), 0u);
  EXPECT_EQ(build_nack(MutableBytes(buffer).first(20), 1, 2, lost), 20u);
}

TEST(Nack, MalformedIsRejected) {
  NackView nack;
  // No FCI, an FCI that is not whole items, and the wrong FMT.
  EXPECT_EQ(NackView::parse(packet_of(hex("81 CD 00 02 11 22 33 44 55 66 77 88")), nack),
            RtcpError::kBadBody);
  EXPECT_EQ(
      NackView::parse(packet_of(hex("8F CD 00 03 11 22 33 44 55 66 77 88 00 01 00 03")), nack),
      RtcpError::kWrongType);
  EXPECT_EQ(NackView::parse(packet_of(hex("81 CD 00 01 11 22 33 44")), nack), RtcpError::kBadBody);
  // FCI of 6 bytes: 2 bytes of RTCP padding leave a half item.
  EXPECT_EQ(
      NackView::parse(packet_of(hex("A1 CD 00 04 11 22 33 44 55 66 77 88 00 01 00 03 00 00 00 02")),
                      nack),
      RtcpError::kBadBody);
}

TEST(Pli, ParseAndBuild) {
  auto data = hex("81 CE 00 02  11 22 33 44  55 66 77 88");
  PliView pli;
  ASSERT_EQ(PliView::parse(packet_of(data), pli), RtcpError::kOk);
  EXPECT_EQ(pli.sender_ssrc(), 0x11223344u);
  EXPECT_EQ(pli.media_ssrc(), 0x55667788u);
  std::array<std::byte, 12> buffer{};
  ASSERT_EQ(build_pli(buffer, 0x11223344, 0x55667788), 12u);
  EXPECT_EQ(std::vector<std::byte>(buffer.begin(), buffer.end()), data);
  EXPECT_EQ(build_pli(MutableBytes(buffer).first(11), 1, 2), 0u);
  FirView fir;
  EXPECT_EQ(FirView::parse(packet_of(data), fir), RtcpError::kWrongType);
  EXPECT_EQ(PliView::parse(packet_of(hex("81 CE 00 01 11 22 33 44")), pli), RtcpError::kBadBody);
}

TEST(Fir, ParseAndBuild) {
  // Media source SSRC 0; one FCI entry: SSRC 0x55667788, seq nr 7.
  auto data = hex("84 CE 00 04  11 22 33 44  00 00 00 00  55 66 77 88  07 00 00 00");
  FirView fir;
  ASSERT_EQ(FirView::parse(packet_of(data), fir), RtcpError::kOk);
  EXPECT_EQ(fir.sender_ssrc(), 0x11223344u);
  EXPECT_EQ(fir.media_ssrc(), 0u);
  ASSERT_EQ(fir.entry_count(), 1u);
  EXPECT_EQ(fir.entry(0), (FirEntry{0x55667788, 7}));

  std::array<std::byte, 64> buffer{};
  const std::array<FirEntry, 1> one{FirEntry{0x55667788, 7}};
  ASSERT_EQ(build_fir(buffer, 0x11223344, one), 20u);
  EXPECT_EQ(std::vector<std::byte>(buffer.begin(), buffer.begin() + 20), data);

  const std::array<FirEntry, 2> two{FirEntry{1, 255}, FirEntry{2, 0}};
  const size_t n = build_fir(buffer, 9, two);
  ASSERT_EQ(n, 28u);
  ASSERT_EQ(FirView::parse(packet_of({buffer.begin(), buffer.begin() + n}), fir), RtcpError::kOk);
  EXPECT_EQ(fir.entry_count(), 2u);
  EXPECT_EQ(fir.entry(0), two[0]);
  EXPECT_EQ(fir.entry(1), two[1]);
  EXPECT_EQ(build_fir(buffer, 9, {}), 0u);
  EXPECT_EQ(FirView::parse(packet_of(hex("84 CE 00 03 11 22 33 44 00 00 00 00 55 66 77 88")), fir),
            RtcpError::kBadBody);
}

TEST(Remb, ParsesDraftLayout) {
  // 'REMB', 2 SSRCs, exponent 2, mantissa 250000: 1 Mbit/s.
  auto data =
      hex("8F CE 00 06  11 22 33 44  00 00 00 00  52 45 4D 42  02 0B D0 90"
          "55 66 77 88  99 AA BB CC");
  RembView remb;
  ASSERT_EQ(RembView::parse(packet_of(data), remb), RtcpError::kOk);
  EXPECT_EQ(remb.sender_ssrc(), 0x11223344u);
  EXPECT_EQ(remb.media_ssrc(), 0u);
  EXPECT_EQ(remb.bitrate_bps(), 1'000'000u);
  ASSERT_EQ(remb.ssrc_count(), 2u);
  EXPECT_EQ(remb.ssrc(0), 0x55667788u);
  EXPECT_EQ(remb.ssrc(1), 0x99AABBCCu);

  std::array<std::byte, 64> buffer{};
  const std::array<uint32_t, 2> ssrcs{0x55667788, 0x99AABBCC};
  ASSERT_EQ(build_remb(buffer, 0x11223344, 1'000'000, ssrcs), 28u);
  EXPECT_EQ(std::vector<std::byte>(buffer.begin(), buffer.begin() + 28), data);
}

TEST(Remb, BitrateEncoding) {
  EXPECT_EQ(encode_remb_bitrate(0).exponent, 0);
  EXPECT_EQ(encode_remb_bitrate(0x3FFFF).exponent, 0);
  EXPECT_EQ(encode_remb_bitrate(0x3FFFF).mantissa, 0x3FFFFu);
  EXPECT_EQ(encode_remb_bitrate(0x40000).exponent, 1);
  EXPECT_EQ(encode_remb_bitrate(0x40000).mantissa, 0x20000u);
  for (uint64_t bps :
       {30'000ull, 300'000ull, 2'500'000ull, 123'456'789ull, 10'000'000'000ull, ~0ull}) {
    std::array<std::byte, 32> buffer{};
    const size_t n = build_remb(buffer, 1, bps, {});
    ASSERT_EQ(n, 20u);
    RembView remb;
    ASSERT_EQ(RembView::parse(packet_of({buffer.begin(), buffer.begin() + n}), remb),
              RtcpError::kOk);
    EXPECT_EQ(remb.ssrc_count(), 0u);
    // Rounded down by less than one part in 2^17.
    EXPECT_LE(remb.bitrate_bps(), bps);
    EXPECT_GE(remb.bitrate_bps(), bps - (bps >> 17));
  }
}

TEST(Remb, RejectsOtherApplicationFeedbackAndShortBodies) {
  RembView remb;
  EXPECT_EQ(
      RembView::parse(packet_of(hex("8F CE 00 04 11 22 33 44 00 00 00 00 41 42 43 44 00 00 00 00")),
                      remb),
      RtcpError::kWrongType);
  // Announces 3 SSRCs, carries 1.
  EXPECT_EQ(
      RembView::parse(packet_of(hex("8F CE 00 05 11 22 33 44 00 00 00 00 52 45 4D 42 03 0B D0 90 "
                                    "55 66 77 88")),
                      remb),
      RtcpError::kBadBody);
  EXPECT_EQ(
      RembView::parse(packet_of(hex("8F CE 00 03 11 22 33 44 00 00 00 00 52 45 4D 42")), remb),
      RtcpError::kBadBody);
  // Exponent 63: saturates.
  const auto huge = hex("8F CE 00 04 11 22 33 44 00 00 00 00 52 45 4D 42 00 FF FF FF");
  ASSERT_EQ(RembView::parse(packet_of(huge), remb), RtcpError::kOk);
  EXPECT_EQ(remb.bitrate_bps(), ~0ull);
}

struct TwccPacket {
  uint16_t seq;
  PacketStatus status;
  int32_t delta;
  bool operator==(const TwccPacket&) const = default;
};

std::vector<TwccPacket> packets_of(const TransportCcView& twcc) {
  std::vector<TwccPacket> out;
  twcc.for_each_packet([&](uint16_t seq, PacketStatus status, int32_t delta) {
    out.push_back({seq, status, delta});
  });
  return out;
}

TEST(TransportCc, TwoBitStatusVector) {
  // Base 10, 5 packets, reference time 16 (1.024 s), feedback #3.
  // One two-bit vector chunk: small, small, not received, large, small (+2 unused).
  // Deltas: 1 ms, 2 ms, -2.5 ms, 4 ms; one byte of zero padding.
  auto data =
      hex("8F CD 00 06  11 22 33 44  55 66 77 88"
          "00 0A 00 05  00 00 10 03  D4 90 04 08  FF F6 10 00");
  TransportCcView twcc;
  ASSERT_EQ(TransportCcView::parse(packet_of(data), twcc), RtcpError::kOk);
  EXPECT_EQ(twcc.sender_ssrc(), 0x11223344u);
  EXPECT_EQ(twcc.media_ssrc(), 0x55667788u);
  EXPECT_EQ(twcc.base_sequence(), 10);
  EXPECT_EQ(twcc.status_count(), 5);
  EXPECT_EQ(twcc.reference_time(), 16);
  EXPECT_EQ(twcc.reference_time_us(), 1'024'000);
  EXPECT_EQ(twcc.feedback_count(), 3);
  EXPECT_EQ(packets_of(twcc), (std::vector<TwccPacket>{{10, PacketStatus::kSmallDelta, 4},
                                                       {11, PacketStatus::kSmallDelta, 8},
                                                       {12, PacketStatus::kNotReceived, 0},
                                                       {13, PacketStatus::kLargeDelta, -10},
                                                       {14, PacketStatus::kSmallDelta, 16}}));
}

TEST(TransportCc, RunLengthAndOneBitVectorAcrossWrap) {
  // Base 65534, 17 packets: a run of 3 received (small), then a one-bit vector
  // of 14: received, 12 lost, received. Negative reference time (-1).
  auto data =
      hex("8F CD 00 07  11 22 33 44  55 66 77 88"
          "FF FE 00 11  FF FF FF 00  20 03 A0 01  01 02 03 04  05 00 00 00");
  TransportCcView twcc;
  ASSERT_EQ(TransportCcView::parse(packet_of(data), twcc), RtcpError::kOk);
  EXPECT_EQ(twcc.reference_time(), -1);
  EXPECT_EQ(twcc.reference_time_us(), -64'000);
  const auto packets = packets_of(twcc);
  ASSERT_EQ(packets.size(), 17u);
  EXPECT_EQ(packets[0], (TwccPacket{65534, PacketStatus::kSmallDelta, 1}));
  EXPECT_EQ(packets[1], (TwccPacket{65535, PacketStatus::kSmallDelta, 2}));
  EXPECT_EQ(packets[2], (TwccPacket{0, PacketStatus::kSmallDelta, 3}));
  EXPECT_EQ(packets[3], (TwccPacket{1, PacketStatus::kSmallDelta, 4}));
  for (size_t i = 4; i < 16; ++i) EXPECT_EQ(packets[i].status, PacketStatus::kNotReceived) << i;
  EXPECT_EQ(packets[16], (TwccPacket{14, PacketStatus::kSmallDelta, 5}));
}

TEST(TransportCc, MalformedIsRejected) {
  TransportCcView twcc;
  // Status count 5 but no chunk.
  EXPECT_EQ(TransportCcView::parse(packet_of(hex("8F CD 00 04 11 22 33 44 55 66 77 88 00 0A 00 05 "
                                                 "00 00 10 03")),
                                   twcc),
            RtcpError::kBadBody);
  // A run of 5 small deltas with only 4 delta bytes (then 2 bytes of RTCP padding).
  EXPECT_EQ(TransportCcView::parse(packet_of(hex("AF CD 00 06 11 22 33 44 55 66 77 88 00 0A 00 05 "
                                                 "00 00 10 03 20 05 01 01 01 01 00 02")),
                                   twcc),
            RtcpError::kBadBody);
  // The reserved two-bit symbol.
  EXPECT_EQ(TransportCcView::parse(packet_of(hex("8F CD 00 05 11 22 33 44 55 66 77 88 00 0A 00 01 "
                                                 "00 00 10 03 F0 00 00 00")),
                                   twcc),
            RtcpError::kBadBody);
  // A run of length 0.
  EXPECT_EQ(TransportCcView::parse(packet_of(hex("8F CD 00 05 11 22 33 44 55 66 77 88 00 0A 00 01 "
                                                 "00 00 10 03 20 00 00 00")),
                                   twcc),
            RtcpError::kBadBody);
  // FCI shorter than its fixed fields.
  EXPECT_EQ(TransportCcView::parse(
                packet_of(hex("8F CD 00 03 11 22 33 44 55 66 77 88 00 0A 00 01")), twcc),
            RtcpError::kBadBody);
  // A NACK is not transport-cc.
  EXPECT_EQ(TransportCcView::parse(
                packet_of(hex("81 CD 00 03 11 22 33 44 55 66 77 88 00 0A 80 05")), twcc),
            RtcpError::kWrongType);
}

}  // namespace
}  // namespace turnd::sfu::rtp

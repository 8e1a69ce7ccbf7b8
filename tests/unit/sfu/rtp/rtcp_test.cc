// RTCP compound packets and the reports of RFC 3550 §6.4–6.6 on
// hand-assembled bytes, the builders round-tripped through the views, and
// malformed compounds rejected.
#include "sfu/rtp/rtcp.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <vector>

#include "sfu/rtp/hex.h"
#include "sfu/rtp/rtcp_feedback.h"
#include "sfu/rtp/rtcp_reports.h"

namespace turnd::sfu::rtp {
namespace {

using test::hex;

// SR (one report block) + SDES CNAME + BYE with a reason: a sender's last
// compound packet.
const std::vector<std::byte> kCompound = hex(
    // SR: RC=1, length 12 (52 bytes)
    "81 C8 00 0C  11 22 33 44"
    "E9 4B 2E 4A  80 00 00 00  00 01 5F 90  00 00 00 64  00 00 4E 20"
    // report block on 0x55667788: 25% lost, 5 cumulative, highest 65552,
    // jitter 32, LSR 0x2E4A8000, DLSR 1 s
    "55 66 77 88  40 00 00 05  00 01 00 10  00 00 00 20  2E 4A 80 00  00 01 00 00"
    // SDES: one chunk, CNAME "APCQmDNiSEcPJNeW" (16 chars), null, one pad
    "81 CA 00 06  11 22 33 44  01 10 41 50 43 51 6D 44 4E 69 53 45 63 50 4A 4E 65 57 00 00"
    // BYE: one SSRC, reason "close"
    "81 CB 00 03  11 22 33 44  05 63 6C 6F 73 65 00 00");

TEST(RtcpCompound, IteratesPackets) {
  RtcpCompound compound;
  ASSERT_EQ(RtcpCompound::parse(kCompound, compound), RtcpError::kOk);
  EXPECT_EQ(compound.packet_count(), 3u);
  std::vector<uint8_t> types;
  std::vector<size_t> sizes;
  for (const RtcpPacketView& p : compound) {
    types.push_back(p.type());
    sizes.push_back(p.data().size());
  }
  EXPECT_EQ(types, (std::vector<uint8_t>{kRtcpSenderReport, kRtcpSdes, kRtcpBye}));
  EXPECT_EQ(sizes, (std::vector<size_t>{52, 28, 16}));
}

TEST(RtcpReports, SenderReport) {
  RtcpPacketView packet;
  ASSERT_EQ(RtcpPacketView::parse(kCompound, packet), RtcpError::kOk);
  EXPECT_EQ(packet.count(), 1);
  SenderReportView sr;
  ASSERT_EQ(SenderReportView::parse(packet, sr), RtcpError::kOk);
  EXPECT_EQ(sr.sender_ssrc(), 0x11223344u);
  const SenderInfo info = sr.sender_info();
  EXPECT_EQ(info.ntp_timestamp, 0xE94B2E4A80000000ull);
  EXPECT_EQ(info.rtp_timestamp, 90000u);
  EXPECT_EQ(info.packet_count, 100u);
  EXPECT_EQ(info.octet_count, 20000u);
  ASSERT_EQ(sr.report_count(), 1u);
  const ReportBlock b = sr.report(0);
  EXPECT_EQ(b.ssrc, 0x55667788u);
  EXPECT_EQ(b.fraction_lost, 64);
  EXPECT_EQ(b.cumulative_lost, 5);
  EXPECT_EQ(b.extended_highest_sequence, 65552u);
  EXPECT_EQ(b.jitter, 32u);
  EXPECT_EQ(b.last_sr, compact_ntp(info.ntp_timestamp));
  EXPECT_EQ(b.delay_since_last_sr, 65536u);

  ReceiverReportView rr;
  EXPECT_EQ(ReceiverReportView::parse(packet, rr), RtcpError::kWrongType);
}

TEST(RtcpReports, SdesAndBye) {
  RtcpCompound compound;
  ASSERT_EQ(RtcpCompound::parse(kCompound, compound), RtcpError::kOk);
  auto it = compound.begin();
  ++it;
  SdesView sdes;
  ASSERT_EQ(SdesView::parse(*it, sdes), RtcpError::kOk);
  EXPECT_EQ(sdes.chunk_count(), 1u);
  EXPECT_EQ(sdes.cname(0x11223344), "APCQmDNiSEcPJNeW");
  EXPECT_FALSE(sdes.cname(0x55667788));
  ++it;
  ByeView bye;
  ASSERT_EQ(ByeView::parse(*it, bye), RtcpError::kOk);
  ASSERT_EQ(bye.ssrc_count(), 1u);
  EXPECT_EQ(bye.ssrc(0), 0x11223344u);
  EXPECT_EQ(bye.reason(), "close");
  ++it;
  EXPECT_TRUE(it == compound.end());
}

TEST(RtcpReports, NegativeCumulativeLostSignExtends) {
  auto data =
      hex("81 C9 00 07  11 22 33 44"
          "55 66 77 88  00 FF FF FE  00 00 00 01  00 00 00 00  00 00 00 00  00 00 00 00");
  RtcpPacketView packet;
  ASSERT_EQ(RtcpPacketView::parse(data, packet), RtcpError::kOk);
  ReceiverReportView rr;
  ASSERT_EQ(ReceiverReportView::parse(packet, rr), RtcpError::kOk);
  EXPECT_EQ(rr.report(0).cumulative_lost, -2);
}

TEST(RtcpReports, SdesWithSeveralChunksAndItems) {
  // Chunk 1: NAME "ab" then CNAME "x", null, pad. Chunk 2: CNAME "yz", null.
  auto data =
      hex("82 CA 00 06"
          "00 00 00 01  02 02 61 62  01 01 78 00"
          "00 00 00 02  01 02 79 7A  00 00 00 00");
  RtcpPacketView packet;
  ASSERT_EQ(RtcpPacketView::parse(data, packet), RtcpError::kOk);
  SdesView sdes;
  ASSERT_EQ(SdesView::parse(packet, sdes), RtcpError::kOk);
  EXPECT_EQ(sdes.cname(1), "x");
  EXPECT_EQ(sdes.cname(2), "yz");
  int items = 0;
  sdes.for_each_item([&](uint32_t, uint8_t, std::string_view) {
    ++items;
    return true;
  });
  EXPECT_EQ(items, 3);
}

TEST(RtcpCompound, PaddingOnTheLastPacket) {
  // RR with no blocks, P set, 4 bytes of padding.
  auto data = hex("A0 C9 00 02  11 22 33 44  00 00 00 04");
  RtcpCompound compound;
  ASSERT_EQ(RtcpCompound::parse(data, compound), RtcpError::kOk);
  const RtcpPacketView p = *compound.begin();
  EXPECT_TRUE(p.padding());
  EXPECT_EQ(p.body().size(), 4u);
  ReceiverReportView rr;
  ASSERT_EQ(ReceiverReportView::parse(p, rr), RtcpError::kOk);
  EXPECT_EQ(rr.report_count(), 0u);
}

TEST(RtcpCompound, MalformedIsRejected) {
  RtcpCompound c;
  EXPECT_EQ(RtcpCompound::parse({}, c), RtcpError::kTooShort);
  EXPECT_EQ(RtcpCompound::parse(hex("80 C9 00"), c), RtcpError::kTooShort);
  EXPECT_EQ(RtcpCompound::parse(hex("40 C9 00 01 11 22 33 44"), c), RtcpError::kBadVersion);
  // Length says 12 bytes, 8 there.
  EXPECT_EQ(RtcpCompound::parse(hex("80 C9 00 02 11 22 33 44"), c), RtcpError::kBadLength);
  // Trailing bytes after the last packet.
  EXPECT_EQ(RtcpCompound::parse(hex("80 C9 00 01 11 22 33 44 80 C9"), c), RtcpError::kTooShort);
  // A bad second packet fails the whole compound.
  EXPECT_EQ(RtcpCompound::parse(hex("80 C9 00 01 11 22 33 44 80 C9 00 05 11 22 33 44"), c),
            RtcpError::kBadLength);
  // Padding count 0, or larger than the body.
  EXPECT_EQ(RtcpCompound::parse(hex("A0 C9 00 01 11 22 33 00"), c), RtcpError::kBadPadding);
  EXPECT_EQ(RtcpCompound::parse(hex("A0 C9 00 01 11 22 33 05"), c), RtcpError::kBadPadding);
  EXPECT_EQ(c.packet_count(), 0u);
}

TEST(RtcpReports, MalformedBodiesAreRejected) {
  RtcpPacketView p;
  // SR announcing a report block it does not carry.
  auto sr =
      hex("81 C8 00 06 11 22 33 44 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
  ASSERT_EQ(RtcpPacketView::parse(sr, p), RtcpError::kOk);
  SenderReportView srv;
  EXPECT_EQ(SenderReportView::parse(p, srv), RtcpError::kBadBody);
  // SR without sender info.
  auto short_sr = hex("80 C8 00 01 11 22 33 44");
  ASSERT_EQ(RtcpPacketView::parse(short_sr, p), RtcpError::kOk);
  EXPECT_EQ(SenderReportView::parse(p, srv), RtcpError::kBadBody);
  // RR with no SSRC.
  auto rr = hex("80 C9 00 00");
  ASSERT_EQ(RtcpPacketView::parse(rr, p), RtcpError::kOk);
  ReceiverReportView rrv;
  EXPECT_EQ(ReceiverReportView::parse(p, rrv), RtcpError::kBadBody);
  // SDES whose item runs past the end, and one with no null item.
  SdesView sdes;
  auto sdes_long = hex("81 CA 00 02 11 22 33 44 01 09 41 42");
  ASSERT_EQ(RtcpPacketView::parse(sdes_long, p), RtcpError::kOk);
  EXPECT_EQ(SdesView::parse(p, sdes), RtcpError::kBadBody);
  auto sdes_open = hex("81 CA 00 02 11 22 33 44 01 02 41 42");
  ASSERT_EQ(RtcpPacketView::parse(sdes_open, p), RtcpError::kOk);
  EXPECT_EQ(SdesView::parse(p, sdes), RtcpError::kBadBody);
  // SDES announcing two chunks, carrying one.
  auto sdes_count = hex("82 CA 00 02 11 22 33 44 01 01 41 00");
  ASSERT_EQ(RtcpPacketView::parse(sdes_count, p), RtcpError::kOk);
  EXPECT_EQ(SdesView::parse(p, sdes), RtcpError::kBadBody);
  // BYE announcing 2 SSRCs with one; BYE with a reason longer than the packet.
  ByeView bye;
  auto bye_count = hex("82 CB 00 01 11 22 33 44");
  ASSERT_EQ(RtcpPacketView::parse(bye_count, p), RtcpError::kOk);
  EXPECT_EQ(ByeView::parse(p, bye), RtcpError::kBadBody);
  auto bye_reason = hex("81 CB 00 02 11 22 33 44 09 61 62 63");
  ASSERT_EQ(RtcpPacketView::parse(bye_reason, p), RtcpError::kOk);
  EXPECT_EQ(ByeView::parse(p, bye), RtcpError::kBadBody);
}

TEST(RtcpBuilders, SenderReportRoundTrip) {
  std::array<std::byte, 128> buffer{};
  SenderInfo info{0xE94B2E4A80000000ull, 90000, 100, 20000};
  const std::array<ReportBlock, 2> blocks{
      ReportBlock{0x55667788, 64, 5, 65552, 32, 0x2E4A8000, 65536},
      ReportBlock{0x99AABBCC, 255, -3, 7, 1, 0, 0}};
  // With the first block only: byte for byte the hand-assembled SR.
  ASSERT_EQ(build_sender_report(buffer, 0x11223344, info, std::span(blocks).first(1)), 52u);
  EXPECT_TRUE(std::equal(buffer.begin(), buffer.begin() + 52, kCompound.begin()));

  const size_t n = build_sender_report(buffer, 0x11223344, info, blocks);
  ASSERT_EQ(n, 4u + 4 + 20 + 2 * 24);
  RtcpPacketView p;
  ASSERT_EQ(RtcpPacketView::parse(Bytes(buffer).first(n), p), RtcpError::kOk);
  EXPECT_EQ(p.data().size(), n);
  SenderReportView sr;
  ASSERT_EQ(SenderReportView::parse(p, sr), RtcpError::kOk);
  EXPECT_EQ(sr.sender_ssrc(), 0x11223344u);
  EXPECT_EQ(sr.sender_info(), info);
  ASSERT_EQ(sr.report_count(), 2u);
  EXPECT_EQ(sr.report(0), blocks[0]);
  EXPECT_EQ(sr.report(1), blocks[1]);
  EXPECT_EQ(build_sender_report(MutableBytes(buffer).first(n - 1), 0x11223344, info, blocks), 0u);
}

TEST(RtcpBuilders, ReceiverReportRoundTripAndClamping) {
  std::array<std::byte, 64> buffer{};
  const std::array<ReportBlock, 1> blocks{
      ReportBlock{0x55667788, 10, 0x1000000, 65552, 32, 0x2E4A8000, 65536}};
  const size_t n = build_receiver_report(buffer, 0x11223344, blocks);
  ASSERT_EQ(n, 32u);
  RtcpPacketView p;
  ASSERT_EQ(RtcpPacketView::parse(Bytes(buffer).first(n), p), RtcpError::kOk);
  ReceiverReportView rr;
  ASSERT_EQ(ReceiverReportView::parse(p, rr), RtcpError::kOk);
  EXPECT_EQ(rr.sender_ssrc(), 0x11223344u);
  EXPECT_EQ(rr.report(0).cumulative_lost, 0x7FFFFF);  // clamped to 24 bits
  EXPECT_EQ(build_receiver_report(buffer, 1), 8u);    // an empty RR
  EXPECT_EQ(build_receiver_report(MutableBytes(buffer).first(7), 1), 0u);
  std::vector<ReportBlock> too_many(32);
  std::vector<std::byte> big(2048);
  EXPECT_EQ(build_receiver_report(big, 1, too_many), 0u);
}

TEST(RtcpBuilders, SdesCnameRoundTrip) {
  for (const std::string& cname :
       std::vector<std::string>{"", "a", "abc", "APCQmDNiSEcPJNeW", std::string(255, 'z')}) {
    std::array<std::byte, 300> buffer{};
    const size_t n = build_sdes_cname(buffer, 0x11223344, cname);
    ASSERT_GT(n, 0u) << cname;
    EXPECT_EQ(n % 4, 0u);
    RtcpPacketView p;
    ASSERT_EQ(RtcpPacketView::parse(Bytes(buffer).first(n), p), RtcpError::kOk);
    SdesView sdes;
    ASSERT_EQ(SdesView::parse(p, sdes), RtcpError::kOk);
    EXPECT_EQ(sdes.cname(0x11223344), cname);
  }
  std::array<std::byte, 28> exact{};
  ASSERT_EQ(build_sdes_cname(exact, 0x11223344, "APCQmDNiSEcPJNeW"), 28u);
  EXPECT_TRUE(std::equal(exact.begin(), exact.end(), kCompound.begin() + 52));
  std::array<std::byte, 300> buffer{};
  EXPECT_EQ(build_sdes_cname(buffer, 1, std::string(256, 'z')), 0u);
}

TEST(RtcpBuilders, ByeRoundTrip) {
  std::array<std::byte, 64> buffer{};
  const std::array<uint32_t, 2> ssrcs{1, 2};
  size_t n = build_bye(buffer, ssrcs, "bye now");
  ASSERT_EQ(n, 4u + 8 + 8);
  RtcpPacketView p;
  ASSERT_EQ(RtcpPacketView::parse(Bytes(buffer).first(n), p), RtcpError::kOk);
  ByeView bye;
  ASSERT_EQ(ByeView::parse(p, bye), RtcpError::kOk);
  EXPECT_EQ(bye.ssrc_count(), 2u);
  EXPECT_EQ(bye.ssrc(1), 2u);
  EXPECT_EQ(bye.reason(), "bye now");
  n = build_bye(buffer, ssrcs);
  ASSERT_EQ(n, 12u);
  ASSERT_EQ(RtcpPacketView::parse(Bytes(buffer).first(n), p), RtcpError::kOk);
  ASSERT_EQ(ByeView::parse(p, bye), RtcpError::kOk);
  EXPECT_TRUE(bye.reason().empty());
}

TEST(RtcpBuilders, CompoundOfSeveral) {
  std::array<std::byte, 256> buffer{};
  RtcpCompoundBuilder builder(buffer);
  const std::array<ReportBlock, 1> blocks{ReportBlock{0x55667788, 0, 0, 1000, 3, 0, 0}};
  const std::array<uint16_t, 3> lost{100, 101, 117};
  const std::array<uint32_t, 1> remb_ssrcs{0x55667788};
  EXPECT_TRUE(builder.add([&](MutableBytes out) { return build_receiver_report(out, 1, blocks); }));
  EXPECT_TRUE(builder.add([&](MutableBytes out) { return build_sdes_cname(out, 1, "turnd"); }));
  EXPECT_TRUE(builder.add([&](MutableBytes out) { return build_nack(out, 1, 0x55667788, lost); }));
  EXPECT_TRUE(builder.add([&](MutableBytes out) { return build_pli(out, 1, 0x55667788); }));
  EXPECT_TRUE(
      builder.add([&](MutableBytes out) { return build_remb(out, 1, 1'500'000, remb_ssrcs); }));
  ASSERT_TRUE(builder.ok());

  RtcpCompound compound;
  ASSERT_EQ(RtcpCompound::parse(builder.bytes(), compound), RtcpError::kOk);
  ASSERT_EQ(compound.packet_count(), 5u);
  std::vector<std::pair<uint8_t, uint8_t>> kinds;
  for (const RtcpPacketView& p : compound) kinds.emplace_back(p.type(), p.fmt());
  EXPECT_EQ(kinds, (std::vector<std::pair<uint8_t, uint8_t>>{{kRtcpReceiverReport, 1},
                                                             {kRtcpSdes, 1},
                                                             {kRtcpRtpfb, kFmtNack},
                                                             {kRtcpPsfb, kFmtPli},
                                                             {kRtcpPsfb, kFmtAfb}}));
}

TEST(RtcpBuilders, CompoundOverflowStops) {
  std::array<std::byte, 20> buffer{};
  RtcpCompoundBuilder builder(buffer);
  EXPECT_TRUE(builder.add([](MutableBytes out) { return build_pli(out, 1, 2); }));  // 12 bytes
  EXPECT_FALSE(builder.add([](MutableBytes out) { return build_pli(out, 1, 2); }));
  EXPECT_FALSE(builder.ok());
  EXPECT_TRUE(builder.bytes().empty());
  EXPECT_EQ(builder.size(), 0u);
  EXPECT_FALSE(builder.add([](MutableBytes out) { return build_receiver_report(out, 1); }));
}

}  // namespace
}  // namespace turnd::sfu::rtp

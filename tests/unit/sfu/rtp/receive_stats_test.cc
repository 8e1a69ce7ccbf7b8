// ReceiveStats on known packet sequences: RFC 3550 §A.1 probation and
// restarts, §A.3 cumulative and fractional loss, §A.8 jitter, LSR / DLSR.
#include "sfu/rtp/receive_stats.h"

#include <gtest/gtest.h>

#include <vector>

namespace turnd::sfu::rtp {
namespace {

// A clock rate of 1 MHz makes timestamp units microseconds.
constexpr uint32_t kMicrosecondClock = 1'000'000;

TEST(ReceiveStats, ProbationThenCounting) {
  ReceiveStats s(90000);
  EXPECT_FALSE(s.on_packet(100, 0, 0));  // first packet: probation
  EXPECT_FALSE(s.valid());
  EXPECT_TRUE(s.on_packet(101, 3000, 33'333));
  EXPECT_TRUE(s.valid());
  EXPECT_EQ(s.extended_highest_sequence(), 101u);
  EXPECT_EQ(s.received(), 1u);
  EXPECT_EQ(s.expected(), 1u);
}

TEST(ReceiveStats, ProbationRestartsOnGap) {
  ReceiveStats s(90000);
  EXPECT_FALSE(s.on_packet(100, 0, 0));
  EXPECT_FALSE(s.on_packet(105, 0, 0));  // not sequential: probation again
  EXPECT_TRUE(s.on_packet(106, 0, 0));
  EXPECT_EQ(s.expected(), 1u);
}

TEST(ReceiveStats, LossAndFractionLost) {
  ReceiveStats s(90000);
  // 100 is probation; from 101: 103, 106 and 107 lost.
  for (uint16_t seq : {100, 101, 102, 104, 105, 108}) s.on_packet(seq, 0, 0);
  EXPECT_EQ(s.extended_highest_sequence(), 108u);
  EXPECT_EQ(s.expected(), 8u);
  EXPECT_EQ(s.received(), 5u);
  EXPECT_EQ(s.cumulative_lost(), 3);
  ReportBlock b = s.report_block(0xAABBCCDD, 0);
  EXPECT_EQ(b.ssrc, 0xAABBCCDDu);
  EXPECT_EQ(b.fraction_lost, 3 * 256 / 8);  // 96
  EXPECT_EQ(b.cumulative_lost, 3);
  EXPECT_EQ(b.extended_highest_sequence, 108u);
  EXPECT_EQ(b.last_sr, 0u);
  EXPECT_EQ(b.delay_since_last_sr, 0u);

  // Next interval: nothing lost, a late 106 arrives (reordered, counted).
  for (uint16_t seq : {109, 110, 106}) s.on_packet(seq, 0, 0);
  b = s.report_block(0xAABBCCDD, 0);
  EXPECT_EQ(b.fraction_lost, 0);  // 2 expected, 3 received: no loss this interval
  EXPECT_EQ(b.cumulative_lost, 2);

  // Next interval: everything lost saturates at 255/256.
  for (uint16_t seq : {115}) s.on_packet(seq, 0, 0);
  b = s.report_block(0xAABBCCDD, 0);
  EXPECT_EQ(b.fraction_lost, 4 * 256 / 5);  // 111..114 lost, 115 received
  EXPECT_EQ(b.cumulative_lost, 6);
  b = s.report_block(0xAABBCCDD, 0);  // empty interval
  EXPECT_EQ(b.fraction_lost, 0);
}

TEST(ReceiveStats, DuplicatesMakeLossNegative) {
  ReceiveStats s(48000);
  for (uint16_t seq : {1, 2, 3, 3, 3}) s.on_packet(seq, 0, 0);
  EXPECT_EQ(s.expected(), 2u);
  EXPECT_EQ(s.received(), 4u);
  EXPECT_EQ(s.cumulative_lost(), -2);
}

TEST(ReceiveStats, ExtendedSequenceAcrossWrap) {
  ReceiveStats s(48000);
  for (uint16_t seq : {65533, 65534, 65535, 0, 1}) s.on_packet(seq, 0, 0);
  EXPECT_EQ(s.extended_highest_sequence(), 65536u + 1);
  EXPECT_EQ(s.expected(), 4u);  // 65534 .. 65537
  EXPECT_EQ(s.cumulative_lost(), 0);
  s.on_packet(65535, 0, 0);  // a late duplicate from before the wrap
  EXPECT_EQ(s.extended_highest_sequence(), 65537u);
}

TEST(ReceiveStats, LargeJumpNeedsTwoSequentialPackets) {
  ReceiveStats s(48000);
  for (uint16_t seq : {10, 11, 12}) s.on_packet(seq, 0, 0);
  EXPECT_FALSE(s.on_packet(40000, 0, 0));  // bad_seq: not counted yet
  EXPECT_EQ(s.extended_highest_sequence(), 12u);
  EXPECT_TRUE(s.on_packet(40001, 0, 0));  // confirmed: the source restarted
  EXPECT_EQ(s.extended_highest_sequence(), 40001u);
  EXPECT_EQ(s.expected(), 1u);
  EXPECT_EQ(s.received(), 1u);
  // A jump of less than kMaxDropout is just loss.
  EXPECT_TRUE(s.on_packet(42000, 0, 0));
  EXPECT_EQ(s.cumulative_lost(), 1998);
}

TEST(ReceiveStats, JitterOfAKnownSequence) {
  // Sent every 1000 µs; packet 2 arrives 160 µs late, the others on time.
  ReceiveStats s(kMicrosecondClock);
  const std::vector<int64_t> late{0, 0, 160, 0, 0};
  std::vector<uint32_t> jitter;
  for (uint16_t i = 0; i < late.size(); ++i) {
    s.on_packet(i, 1000u * i, 5'000'000 + 1000 * i + late[i]);
    jitter.push_back(s.jitter());
  }
  // J += (|D| - J) / 16 in the integer form of §A.8: 160/16, then
  // (160 + 160 - 10)/16, then (310 - 19)/16.
  EXPECT_EQ(jitter, (std::vector<uint32_t>{0, 0, 10, 19, 18}));
  EXPECT_EQ(s.report_block(1, 0).jitter, 18u);
}

TEST(ReceiveStats, JitterConvergesToConstantDeviation) {
  // Arrival alternately 0 and 2 ms late at 90 kHz: |D| is always 180 ticks.
  ReceiveStats s(90000);
  for (uint16_t i = 0; i < 500; ++i) {
    const int64_t arrival_us = 20'000 * i + (i % 2 == 0 ? 0 : 2000);
    s.on_packet(i, 1800u * i, arrival_us);
  }
  EXPECT_NEAR(s.jitter(), 180, 1);
}

TEST(ReceiveStats, JitterIgnoresReorderedPackets) {
  ReceiveStats s(kMicrosecondClock);
  s.on_packet(0, 0, 0);
  s.on_packet(1, 1000, 1000);
  s.on_packet(3, 3000, 3000);
  s.on_packet(2, 2000, 90'000);  // very late, but reordered: no jitter sample
  EXPECT_EQ(s.jitter(), 0u);
}

TEST(ReceiveStats, TimestampWrapDoesNotDisturbJitter) {
  ReceiveStats s(90000);
  uint32_t ts = 0xFFFFFFFFu - 3000;
  for (uint16_t i = 0; i < 5; ++i, ts += 1800) s.on_packet(i, ts, 20'000 * i);
  EXPECT_EQ(s.jitter(), 0u);
}

TEST(ReceiveStats, LastSrAndDelaySinceLastSr) {
  ReceiveStats s(90000);
  s.on_packet(1, 0, 0);
  s.on_packet(2, 0, 0);
  s.on_sender_report(0xE94B2E4A80000000ull, 1'000'000);
  const ReportBlock b = s.report_block(7, 1'500'000);
  EXPECT_EQ(b.last_sr, 0x2E4A8000u);
  EXPECT_EQ(b.delay_since_last_sr, 0x8000u);  // 0.5 s in 1/65536 s
}

}  // namespace
}  // namespace turnd::sfu::rtp

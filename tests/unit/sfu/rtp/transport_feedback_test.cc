// TransportFeedback: arrival times recorded per transport-wide sequence
// number come back out as RTPFB FMT 15 feedback that turnd's own parser
// (TransportCcView, tested against hand-made packets) reads back exactly: one
// packet checked byte by byte, then losses, reordering, sequence wrap, long
// pauses and late packets.
#include "sfu/rtp/transport_feedback.h"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <vector>

#include "sfu/rtp/hex.h"
#include "sfu/rtp/transport_cc.h"

namespace turnd::sfu::rtp {
namespace {

using test::hex;

struct Reported {
  uint16_t base = 0;
  uint8_t feedback_count = 0;
  // seq -> arrival in µs since the reference time, or -1 when not received.
  std::map<uint16_t, int64_t> arrivals;
  std::vector<uint16_t> order;
  int64_t reference_us = 0;
};

Reported parse_feedback(Bytes data) {
  RtcpPacketView packet;
  EXPECT_EQ(RtcpPacketView::parse(data, packet), RtcpError::kOk);
  TransportCcView view;
  EXPECT_EQ(TransportCcView::parse(packet, view), RtcpError::kOk);
  Reported r;
  r.base = view.base_sequence();
  r.feedback_count = view.feedback_count();
  r.reference_us = view.reference_time_us();
  int64_t t = r.reference_us;
  view.for_each_packet([&](uint16_t seq, PacketStatus status, int32_t delta) {
    r.order.push_back(seq);
    if (status == PacketStatus::kNotReceived) {
      r.arrivals[seq] = -1;
      return;
    }
    t += int64_t{delta} * kTransportCcDeltaUs;
    r.arrivals[seq] = t;
  });
  return r;
}

std::vector<std::byte> build(TransportFeedback& f, size_t room = 1200) {
  std::vector<std::byte> out(room);
  size_t n = f.build(out, 1, 0x12345678);
  out.resize(n);
  return out;
}

TEST(TransportFeedback, OnePacketByteByByte) {
  TransportFeedback f;
  EXPECT_FALSE(f.pending());
  f.on_packet(1, 5'000'000);  // the first arrival is the origin: 0 µs
  f.on_packet(2, 5'001'000);  // +1 ms: 4 ticks
  f.on_packet(4, 5'003'000);  // 3 not (yet) received; +2 ms after 2: 8 ticks
  ASSERT_TRUE(f.pending());
  // V=2 P=1 FMT=15, PT=205, length 6; sender 1, media 0x12345678; base 1,
  // count 4, reference 0, feedback 0; chunk 11 01 01 00 01 00 00 (2-bit
  // vector: small, small, none, small); deltas 00 04 08; padding 00 00 03.
  EXPECT_EQ(build(f), hex("AF CD 00 06  00 00 00 01  12 34 56 78  00 01 00 04  00 00 00 00"
                          "D4 40 00 04 08 00 00 03"));
  EXPECT_FALSE(f.pending());
  EXPECT_EQ(f.feedback_sent(), 1u);
  EXPECT_TRUE(build(f).empty());  // nothing new
}

TEST(TransportFeedback, LossReorderingAndWrapReadBackExactly) {
  TransportFeedback f;
  const int64_t t0 = 1'000'000;
  std::map<uint16_t, int64_t> sent;  // seq -> arrival
  // 65530 .. 65535, 0 .. 9 (wrap), 65533 and 3 lost, 7 arrives after 8.
  uint16_t seq = 65530;
  for (int i = 0; i < 16; ++i, ++seq) {
    if (seq == 65533 || seq == 3 || seq == 7) continue;
    sent[seq] = t0 + i * 1'300;
    f.on_packet(seq, sent[seq]);
    if (seq == 8) {
      sent[7] = t0 + i * 1'300 + 200;
      f.on_packet(7, sent[7]);
    }
  }
  Reported r = parse_feedback(build(f));
  EXPECT_EQ(r.base, 65530);
  ASSERT_EQ(r.order.size(), 16u);
  EXPECT_EQ(r.order.back(), 9);
  EXPECT_EQ(r.arrivals[65533], -1);
  EXPECT_EQ(r.arrivals[3], -1);
  for (const auto& [s, at] : sent) {
    // Quantised to 250 µs, never drifting: within one tick of the truth.
    EXPECT_NEAR(r.arrivals[s] - r.arrivals[65530], at - sent[65530], kTransportCcDeltaUs) << s;
  }
  // 7 came after 8: a delta back in time, which needs a large (signed) delta.
  EXPECT_LT(r.arrivals[7] - r.arrivals[8], 1'300);
}

TEST(TransportFeedback, FeedbackCountsUpAndLatePacketsAreIgnored) {
  TransportFeedback f;
  f.on_packet(10, 0);
  f.on_packet(12, 1'000);
  Reported first = parse_feedback(build(f));
  EXPECT_EQ(first.arrivals[11], -1);
  f.on_packet(11, 2'000);  // too late: already reported lost
  EXPECT_FALSE(f.pending());
  f.on_packet(13, 3'000);
  Reported second = parse_feedback(build(f));
  EXPECT_EQ(second.base, 13);
  EXPECT_EQ(second.feedback_count, first.feedback_count + 1);
  EXPECT_EQ(second.order, std::vector<uint16_t>{13});
}

TEST(TransportFeedback, APauseLongerThanALargeDeltaStartsTheNextFeedback) {
  TransportFeedback f;
  f.on_packet(100, 0);
  f.on_packet(101, 500);
  f.on_packet(102, 10'000'000);  // 10 s later: beyond ±8.19 s of a large delta
  Reported first = parse_feedback(build(f));
  EXPECT_EQ(first.order, (std::vector<uint16_t>{100, 101}));
  ASSERT_TRUE(f.pending());
  Reported second = parse_feedback(build(f));
  EXPECT_EQ(second.order, std::vector<uint16_t>{102});
  EXPECT_NEAR(second.arrivals[102], 10'000'000, kTransportCcReferenceUs);
}

TEST(TransportFeedback, LimitedRoomSplitsAndAWindowOverflowDropsTheOldest) {
  TransportFeedback f;
  for (uint16_t s = 0; s < 300; ++s) f.on_packet(s, s * 100);
  Reported a = parse_feedback(build(f, 120));  // room for a part only
  ASSERT_FALSE(a.order.empty());
  EXPECT_LT(a.order.size(), 300u);
  Reported b = parse_feedback(build(f));
  EXPECT_EQ(b.base, static_cast<uint16_t>(a.order.size()));
  EXPECT_EQ(a.order.size() + b.order.size(), 300u);

  for (uint32_t s = 300; s < 300 + 3 * TransportFeedback::kWindow; ++s) {
    f.on_packet(static_cast<uint16_t>(s), s * 100);
  }
  size_t reported = 0;
  while (f.pending()) {
    Reported r = parse_feedback(build(f));
    ASSERT_FALSE(r.order.empty());
    reported += r.order.size();
  }
  EXPECT_EQ(reported, TransportFeedback::kWindow);  // the newest window
  EXPECT_TRUE(build(f, 8).empty());                 // too small for anything
}

}  // namespace
}  // namespace turnd::sfu::rtp

#include "sfu/conference/join_throttle.h"

#include <gtest/gtest.h>

namespace turnd::sfu::conference {
namespace {

using Verdict = JoinThrottle::Verdict;
using ms = Milliseconds;

SocketAddress addr(const char* text) {
  return *SocketAddress::parse(text);
}

JoinThrottle::Limits small_limits() {
  JoinThrottle::Limits l;
  l.host = {2, 6, Seconds(10), ms(1000), ms(4000)};
  l.network = {20, 0, Seconds(10), ms(100), ms(500)};
  l.room = {20, 0, Seconds(10), ms(100), ms(500)};
  l.max_pending = 4;
  return l;
}

// One attempt that comes back wrong; returns the delay it was given.
ms wrong_attempt(JoinThrottle& t, const SocketAddress& from, const char* room, SteadyTime now) {
  auto d = t.submit(from, room, now);
  EXPECT_EQ(d.verdict, Verdict::kGo);
  t.finished(from, room, true, now);
  return d.delay;
}

TEST(JoinThrottle, DelaysGrowThenOnlyThatAddressIsRefused) {
  JoinThrottle t(small_limits());
  SteadyTime now{};
  auto mallory = addr("192.0.2.66:1000");
  EXPECT_EQ(wrong_attempt(t, mallory, "room", now), ms(0));
  EXPECT_EQ(wrong_attempt(t, mallory, "room", now), ms(0));
  EXPECT_EQ(wrong_attempt(t, mallory, "room", now), ms(1000));  // past `free`: doubling
  EXPECT_EQ(wrong_attempt(t, mallory, "room", now), ms(2000));
  EXPECT_EQ(wrong_attempt(t, mallory, "room", now), ms(4000));
  auto d = t.submit(mallory, "room", now);  // 5 in the bucket: still a delay, capped
  EXPECT_EQ(d.verdict, Verdict::kGo);
  EXPECT_EQ(d.delay, ms(4000));
  EXPECT_TRUE(d.low_priority);
  t.finished(mallory, "room", true, now);
  EXPECT_EQ(t.submit(mallory, "room", now).verdict, Verdict::kThrottled);
  EXPECT_EQ(t.submit(addr("192.0.2.66:2000"), "other", now).verdict, Verdict::kThrottled);
  EXPECT_TRUE(t.refused(mallory, now));
  // A neighbour in the same /24 is slowed by nothing yet (network free: 20).
  auto neighbour = t.submit(addr("192.0.2.67:1000"), "room", now);
  EXPECT_EQ(neighbour.verdict, Verdict::kGo);
  EXPECT_EQ(neighbour.delay, ms(0));
  EXPECT_FALSE(neighbour.low_priority);
  // The bucket drains one failure per 10 s: below 6 again after 10 s.
  EXPECT_EQ(t.submit(mallory, "room", now + Seconds(11)).verdict, Verdict::kGo);
}

TEST(JoinThrottle, RightCodesNeverCount) {
  JoinThrottle t(small_limits());
  SteadyTime now{};
  auto office = addr("198.51.100.1:1");
  for (int i = 0; i < 100; ++i) {
    auto d = t.submit(office, "room", now);
    ASSERT_EQ(d.verdict, Verdict::kGo);
    EXPECT_EQ(d.delay, ms(0));
    t.finished(office, "room", false, now);
  }
  EXPECT_EQ(t.pending(office), 0u);
  EXPECT_FALSE(t.refused(office, now));
}

// Checks under way could all be wrong: together they never pass refuse_at,
// and never more than max_pending run at once.
TEST(JoinThrottle, ParallelAttemptsAreBoundedBeforeTheyComeBack) {
  JoinThrottle t(small_limits());
  SteadyTime now{};
  auto a = addr("203.0.113.5:1");
  for (int i = 0; i < 4; ++i) EXPECT_EQ(t.submit(a, "room", now).verdict, Verdict::kGo);
  EXPECT_EQ(t.submit(a, "room", now).verdict, Verdict::kBusy);  // max_pending
  EXPECT_EQ(t.pending(a), 4u);
  for (int i = 0; i < 4; ++i) t.finished(a, "room", true, now);  // all were wrong
  EXPECT_EQ(t.submit(a, "room", now).verdict, Verdict::kGo);     // 4 + 0 under way
  EXPECT_EQ(t.submit(a, "room", now).verdict, Verdict::kGo);     // 4 + 1 under way
  EXPECT_EQ(t.submit(a, "room", now).verdict, Verdict::kBusy);   // 4 + 2 would reach 6
  t.finished(a, "room", true, now);
  t.finished(a, "room", true, now);
  EXPECT_TRUE(t.refused(a, now));  // a delayed attempt asks again before its check
  EXPECT_EQ(t.submit(a, "room", now).verdict, Verdict::kThrottled);
}

TEST(JoinThrottle, NetworksAndRoomsOnlyDelayNeverRefuse) {
  JoinThrottle t(small_limits());
  SteadyTime now{};
  // 40 addresses of one /24 guess once each, all at one room.
  for (int i = 1; i <= 40; ++i) {
    std::string ip = "198.51.100." + std::to_string(i) + ":1";
    wrong_attempt(t, addr(ip.c_str()), "target", now);
  }
  auto d = t.submit(addr("198.51.100.200:1"), "elsewhere", now);  // same /24, other room
  EXPECT_EQ(d.verdict, Verdict::kGo);
  EXPECT_EQ(d.delay, ms(500));  // the network level's cap
  EXPECT_TRUE(d.low_priority);
  d = t.submit(addr("203.0.113.9:1"), "target", now);  // elsewhere, the same room
  EXPECT_EQ(d.verdict, Verdict::kGo);
  EXPECT_EQ(d.delay, ms(500));
  d = t.submit(addr("203.0.113.9:1"), "quiet", now);
  EXPECT_EQ(d.delay, ms(0));
}

TEST(JoinThrottle, AnIpv6Slash64IsOneAddressAndMappedIpv4IsIpv4) {
  JoinThrottle t(small_limits());
  SteadyTime now{};
  for (int i = 0; i < 6; ++i) {
    std::string ip = "[2001:db8:1:2::" + std::to_string(i + 1) + "]:1";
    wrong_attempt(t, addr(ip.c_str()), "room", now);
  }
  EXPECT_EQ(t.submit(addr("[2001:db8:1:2:ffff::9]:1"), "room", now).verdict, Verdict::kThrottled);
  EXPECT_EQ(t.submit(addr("[2001:db8:1:3::1]:1"), "room", now).verdict, Verdict::kGo);

  for (int i = 0; i < 6; ++i) wrong_attempt(t, addr("192.0.2.9:1"), "room", now);
  EXPECT_EQ(t.submit(addr("[::ffff:192.0.2.9]:1"), "room", now).verdict, Verdict::kThrottled);
}

TEST(JoinThrottle, MemoryIsBoundedAndDrainedEntriesAreSwept) {
  auto limits = small_limits();
  limits.max_entries = 100;
  JoinThrottle t(limits);
  SteadyTime now{};
  for (int i = 0; i < 1000; ++i) {
    std::string ip = "10." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ".1:1";
    std::string room = "room-" + std::to_string(i);
    wrong_attempt(t, addr(ip.c_str()), room.c_str(), now);
  }
  EXPECT_LE(t.entries(), 300u);
  // Unrecorded hosts still get a decision (low priority), never a crash.
  EXPECT_EQ(t.submit(addr("10.9.9.9:1"), "room", now).verdict, Verdict::kGo);
  t.finished(addr("10.9.9.9:1"), "room", false, now);
  (void)t.submit(addr("10.9.9.10:1"), "room", now + Seconds(3600));  // everything drained
  EXPECT_LE(t.entries(), 1u);
}

}  // namespace
}  // namespace turnd::sfu::conference

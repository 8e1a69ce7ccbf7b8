#include "turnd/auth/auth_throttle.h"

#include <gtest/gtest.h>

#include <string>

namespace turnd::auth {
namespace {

using ms = std::chrono::milliseconds;

SocketAddress addr(const char* text) {
  return *SocketAddress::parse(text);
}

TEST(AuthThrottle, WaitsGrowPastTheFreeFailuresPerAddressAndUser) {
  AuthThrottle t(64, {3, Seconds(60), ms(1000), ms(4000)});
  SteadyTime now{};
  auto a = addr("198.51.100.1:1000");
  for (uint32_t i = 1; i <= 3; ++i) EXPECT_EQ(t.record_failure(a, "alice", now), i);
  EXPECT_FALSE(t.waiting(a, "alice", now));
  EXPECT_EQ(t.record_failure(a, "alice", now), 4u);                 // past `free`: waits 1 s
  EXPECT_TRUE(t.waiting(addr("198.51.100.1:2000"), "alice", now));  // the port does not matter
  EXPECT_FALSE(t.waiting(a, "bob", now));
  EXPECT_FALSE(t.waiting(addr("198.51.100.2:1000"), "alice", now));
  EXPECT_FALSE(t.waiting(a, "alice", now + ms(1000)));
  t.record_failure(a, "alice", now + ms(1000));  // 5: 2 s
  EXPECT_TRUE(t.waiting(a, "alice", now + ms(2999)));
  EXPECT_FALSE(t.waiting(a, "alice", now + ms(3000)));
  for (int i = 0; i < 10; ++i) t.record_failure(a, "alice", now + ms(3000));
  EXPECT_TRUE(t.waiting(a, "alice", now + ms(6999)));  // capped at 4 s
  EXPECT_FALSE(t.waiting(a, "alice", now + ms(7000)));
  t.record_success(a, "alice");
  EXPECT_EQ(t.failures(a, "alice", now), 0u);
}

TEST(AuthThrottle, Ipv6Slash64IsOneAddressAndFailuresLeakOut) {
  AuthThrottle t(64, {2, Seconds(10), ms(1000), ms(1000)});
  SteadyTime now{};
  t.record_failure(addr("[2001:db8:1:2::1]:1"), "alice", now);
  t.record_failure(addr("[2001:db8:1:2::2]:1"), "alice", now);
  t.record_failure(addr("[2001:db8:1:2:ffff::3]:1"), "alice", now);
  EXPECT_TRUE(t.waiting(addr("[2001:db8:1:2::9]:1"), "alice", now));
  EXPECT_FALSE(t.waiting(addr("[2001:db8:1:3::1]:1"), "alice", now));
  EXPECT_EQ(t.failures(addr("[2001:db8:1:2::1]:1"), "alice", now + Seconds(10)), 2u);
  EXPECT_EQ(t.failures(addr("[2001:db8:1:2::1]:1"), "alice", now + Seconds(30)), 0u);
}

// The table never grows: many pairs fill it, and a pair that is waiting is
// not pushed out by idle newcomers while a free candidate slot exists.
TEST(AuthThrottle, BoundedTableKeepsTheBusiestPairs) {
  AuthThrottle t(8, {1, Seconds(3600), ms(60'000), ms(60'000)});
  SteadyTime now{};
  auto mallory = addr("203.0.113.66:1");
  t.record_failure(mallory, "alice", now);
  t.record_failure(mallory, "alice", now);
  ASSERT_TRUE(t.waiting(mallory, "alice", now));
  for (int i = 0; i < 1000; ++i) {
    std::string ip = "198.51.100." + std::to_string(i % 250) + ":1";
    t.record_failure(addr(ip.c_str()), "user" + std::to_string(i), now);
  }
  EXPECT_TRUE(t.waiting(mallory, "alice", now));  // two failures beat one
}

}  // namespace
}  // namespace turnd::auth

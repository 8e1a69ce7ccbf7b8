#include "turnd/auth/failure_counter.h"

#include <gtest/gtest.h>

namespace turnd::auth {
namespace {

TEST(FailureCounter, CountsPerSourceIpIgnoringThePort) {
  FailureCounter counter;
  SteadyTime t{};
  auto a = *SocketAddress::parse("198.51.100.1:1000");
  auto a_other_port = *SocketAddress::parse("198.51.100.1:2000");
  auto b = *SocketAddress::parse("2001:db8::1");
  EXPECT_EQ(counter.record(a, t), 1u);
  EXPECT_EQ(counter.record(a_other_port, t), 2u);
  EXPECT_EQ(counter.count(a, t), 2u);
  EXPECT_EQ(counter.count(b, t), 0u);
  EXPECT_EQ(counter.record(b, t), 1u);
}

TEST(FailureCounter, WindowExpires) {
  FailureCounter counter;
  SteadyTime t{};
  auto a = *SocketAddress::parse("198.51.100.1");
  counter.record(a, t);
  counter.record(a, t);
  EXPECT_EQ(counter.count(a, t + Seconds(59)), 2u);
  EXPECT_EQ(counter.count(a, t + FailureCounter::kWindow), 0u);
  EXPECT_EQ(counter.record(a, t + FailureCounter::kWindow), 1u);
}

TEST(FailureCounter, BoundedTableLetsTheNewestSourceWinACollision) {
  FailureCounter counter(1);  // every source collides
  SteadyTime t{};
  auto a = *SocketAddress::parse("198.51.100.1");
  auto b = *SocketAddress::parse("198.51.100.2");
  counter.record(a, t);
  counter.record(b, t);
  EXPECT_EQ(counter.count(a, t), 0u);
  EXPECT_EQ(counter.count(b, t), 1u);
}

}  // namespace
}  // namespace turnd::auth

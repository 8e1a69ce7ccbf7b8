#include "turnd/common/connection_counter.h"

#include <gtest/gtest.h>

#include <string>

namespace turnd {
namespace {

using Verdict = ConnectionCounter::Verdict;

SocketAddress addr(const std::string& text) {
  return *SocketAddress::parse(text);
}

TEST(ConnectionCounter, OneAddressCannotTakeEveryConnection) {
  ConnectionCounter c({3, 5, 8});
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(c.admit(addr("192.0.2.1:" + std::to_string(i))), Verdict::kAdmitted);
  EXPECT_EQ(c.admit(addr("192.0.2.1:9")), Verdict::kAddressFull);
  EXPECT_EQ(c.admit(addr("192.0.2.2:1")), Verdict::kAdmitted);
  EXPECT_EQ(c.admit(addr("192.0.2.3:1")), Verdict::kAdmitted);
  EXPECT_EQ(c.admit(addr("192.0.2.4:1")), Verdict::kNetworkFull);  // 5 in 192.0.2.0/24
  EXPECT_EQ(c.admit(addr("198.51.100.1:1")), Verdict::kAdmitted);
  EXPECT_EQ(c.admit(addr("203.0.113.1:1")), Verdict::kAdmitted);
  EXPECT_EQ(c.admit(addr("203.0.113.2:1")), Verdict::kAdmitted);
  EXPECT_EQ(c.admit(addr("[2001:db8::1]:1")), Verdict::kTotalFull);
  c.release(addr("192.0.2.1:0"));
  EXPECT_EQ(c.of_address(addr("192.0.2.1:7")), 2u);
  EXPECT_EQ(c.admit(addr("192.0.2.1:9")), Verdict::kAdmitted);
  EXPECT_EQ(c.total(), 8u);
}

TEST(ConnectionCounter, AnIpv6Slash64IsOneAddressAndCountsReturnToZero) {
  ConnectionCounter c({2, 100, 100});
  EXPECT_EQ(c.admit(addr("[2001:db8:1:2::1]:1")), Verdict::kAdmitted);
  EXPECT_EQ(c.admit(addr("[2001:db8:1:2:ffff::2]:1")), Verdict::kAdmitted);
  EXPECT_EQ(c.admit(addr("[2001:db8:1:2::3]:1")), Verdict::kAddressFull);
  EXPECT_EQ(c.admit(addr("[2001:db8:1:3::1]:1")), Verdict::kAdmitted);
  c.release(addr("[2001:db8:1:2::1]:1"));
  c.release(addr("[2001:db8:1:2::2]:1"));
  c.release(addr("[2001:db8:1:3::1]:1"));
  c.release(addr("[2001:db8:1:3::1]:1"));  // once too often: harmless
  EXPECT_EQ(c.total(), 0u);
  EXPECT_EQ(c.of_address(addr("[2001:db8:1:2::1]:1")), 0u);
}

}  // namespace
}  // namespace turnd

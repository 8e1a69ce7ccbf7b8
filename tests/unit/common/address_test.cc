#include "turnd/common/address.h"

#include <gtest/gtest.h>

#include "turnd/common/ip_range.h"

namespace turnd {
namespace {

TEST(SocketAddress, ParsesIPv4WithAndWithoutPort) {
  auto a = SocketAddress::parse("192.0.2.1:3478");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_v4());
  EXPECT_EQ(a->port(), 3478);
  EXPECT_EQ(a->to_string(), "192.0.2.1:3478");
  auto b = SocketAddress::parse("192.0.2.1", 99);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->port(), 99);
}

TEST(SocketAddress, ParsesIPv6WithAndWithoutBrackets) {
  auto a = SocketAddress::parse("[2001:db8::1]:5349");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_v6());
  EXPECT_EQ(a->port(), 5349);
  EXPECT_EQ(a->to_string(), "[2001:db8::1]:5349");
  auto b = SocketAddress::parse("::1");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->ip_string(), "::1");
  EXPECT_EQ(b->port(), 0);
}

TEST(SocketAddress, RejectsGarbage) {
  EXPECT_FALSE(SocketAddress::parse(""));
  EXPECT_FALSE(SocketAddress::parse("example.com"));
  EXPECT_FALSE(SocketAddress::parse("1.2.3.4:99999"));
  EXPECT_FALSE(SocketAddress::parse("1.2.3.4:"));
  EXPECT_FALSE(SocketAddress::parse("[::1"));
  EXPECT_FALSE(SocketAddress::parse("256.1.1.1"));
}

TEST(SocketAddress, EqualityAndHashCoverIpAndPort) {
  auto a = *SocketAddress::parse("10.0.0.1:1");
  auto b = *SocketAddress::parse("10.0.0.1:2");
  EXPECT_TRUE(a.same_ip(b));
  EXPECT_FALSE(a == b);
  EXPECT_EQ(a, b.with_port(1));
  EXPECT_EQ(a.hash(), b.with_port(1).hash());
}

TEST(IpRange, ParsesSingleCidrAndDashForms) {
  auto single = IpRange::parse("192.0.2.7");
  ASSERT_TRUE(single);
  EXPECT_TRUE(single->contains(*SocketAddress::parse("192.0.2.7:5")));
  EXPECT_FALSE(single->contains(*SocketAddress::parse("192.0.2.8")));

  auto cidr = IpRange::parse("172.16.0.0/12");
  ASSERT_TRUE(cidr);
  EXPECT_EQ(cidr->to_string(), "172.16.0.0-172.31.255.255");
  EXPECT_TRUE(cidr->contains(*SocketAddress::parse("172.31.1.1")));
  EXPECT_FALSE(cidr->contains(*SocketAddress::parse("172.32.0.0")));

  auto dash = IpRange::parse("fd00::-fdff::");
  ASSERT_TRUE(dash);
  EXPECT_TRUE(dash->contains(*SocketAddress::parse("fd12::1")));
  EXPECT_FALSE(dash->contains(*SocketAddress::parse("fe00::")));
  EXPECT_FALSE(dash->contains(*SocketAddress::parse("10.0.0.1")));
}

TEST(IpRange, RejectsBadRanges) {
  EXPECT_FALSE(IpRange::parse("10.0.0.0/33"));
  EXPECT_FALSE(IpRange::parse("10.0.0.9-10.0.0.1"));
  EXPECT_FALSE(IpRange::parse("10.0.0.1-::1"));
  EXPECT_FALSE(IpRange::parse("10.0.0.0/x"));
}

}  // namespace
}  // namespace turnd

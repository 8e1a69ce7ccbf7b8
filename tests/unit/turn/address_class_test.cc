#include "turnd/turn/address_class.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <set>
#include <string>

namespace turnd::turn {
namespace {

using C = AddressClass;

struct Row {
  const char* text;
  AddressClass expected;
};

std::ostream& operator<<(std::ostream& os, const Row& row) {
  return os << row.text << " -> " << to_string(row.expected);
}

// Each special block: first and last address and the neighbours just outside,
// then the spellings that try to smuggle one class in as another.
constexpr Row kRows[] = {
    // 0.0.0.0/8 this network, 0.0.0.0/32 unspecified.
    {"0.0.0.0", C::kUnspecified},
    {"0.0.0.1", C::kThisNetwork},
    {"0.255.255.255", C::kThisNetwork},
    {"1.0.0.0", C::kPublic},
    // 10.0.0.0/8
    {"9.255.255.255", C::kPublic},
    {"10.0.0.0", C::kPrivate},
    {"10.255.255.255", C::kPrivate},
    {"11.0.0.0", C::kPublic},
    // 100.64.0.0/10
    {"100.63.255.255", C::kPublic},
    {"100.64.0.0", C::kSharedCgnat},
    {"100.127.255.255", C::kSharedCgnat},
    {"100.128.0.0", C::kPublic},
    // 127.0.0.0/8
    {"126.255.255.255", C::kPublic},
    {"127.0.0.0", C::kLoopback},
    {"127.0.0.1", C::kLoopback},
    {"127.1.2.3", C::kLoopback},
    {"127.255.255.255", C::kLoopback},
    {"128.0.0.0", C::kPublic},
    // 169.254.0.0/16
    {"169.253.255.255", C::kPublic},
    {"169.254.0.0", C::kLinkLocal},
    {"169.254.169.254", C::kLinkLocal},
    {"169.254.255.255", C::kLinkLocal},
    {"169.255.0.0", C::kPublic},
    // 172.16.0.0/12
    {"172.15.255.255", C::kPublic},
    {"172.16.0.0", C::kPrivate},
    {"172.31.255.255", C::kPrivate},
    {"172.32.0.0", C::kPublic},
    // 192.0.0.0/24 IETF protocol assignments, 192.0.2.0/24 TEST-NET-1
    {"191.255.255.255", C::kPublic},
    {"192.0.0.0", C::kReserved},
    {"192.0.0.8", C::kReserved},
    {"192.0.0.9", C::kReserved},
    {"192.0.0.10", C::kReserved},
    {"192.0.0.170", C::kReserved},
    {"192.0.0.255", C::kReserved},
    {"192.0.1.0", C::kPublic},
    {"192.0.1.255", C::kPublic},
    {"192.0.2.0", C::kDocumentation},
    {"192.0.2.255", C::kDocumentation},
    {"192.0.3.0", C::kPublic},
    // Globally reachable special-purpose blocks stay public.
    {"192.31.196.1", C::kPublic},
    {"192.52.193.1", C::kPublic},
    {"192.175.48.1", C::kPublic},
    // 192.88.99.0/24 deprecated 6to4 relay anycast
    {"192.88.98.255", C::kPublic},
    {"192.88.99.0", C::kReserved},
    {"192.88.99.255", C::kReserved},
    {"192.88.100.0", C::kPublic},
    // 192.168.0.0/16
    {"192.167.255.255", C::kPublic},
    {"192.168.0.0", C::kPrivate},
    {"192.168.255.255", C::kPrivate},
    {"192.169.0.0", C::kPublic},
    // 198.18.0.0/15
    {"198.17.255.255", C::kPublic},
    {"198.18.0.0", C::kBenchmarking},
    {"198.19.255.255", C::kBenchmarking},
    {"198.20.0.0", C::kPublic},
    // 198.51.100.0/24, 203.0.113.0/24
    {"198.51.99.255", C::kPublic},
    {"198.51.100.0", C::kDocumentation},
    {"198.51.100.255", C::kDocumentation},
    {"198.51.101.0", C::kPublic},
    {"203.0.112.255", C::kPublic},
    {"203.0.113.0", C::kDocumentation},
    {"203.0.113.255", C::kDocumentation},
    {"203.0.114.0", C::kPublic},
    // 224.0.0.0/4, 240.0.0.0/4, 255.255.255.255
    {"223.255.255.255", C::kPublic},
    {"224.0.0.0", C::kMulticast},
    {"224.0.0.1", C::kMulticast},
    {"239.255.255.250", C::kMulticast},
    {"239.255.255.255", C::kMulticast},
    {"240.0.0.0", C::kReserved},
    {"255.255.255.254", C::kReserved},
    {"255.255.255.255", C::kBroadcast},
    {"8.8.8.8", C::kPublic},
    {"1.1.1.1", C::kPublic},
    {"127.0.0.1:3478", C::kLoopback},
    // ::/128 and ::1/128 in every spelling.
    {"::", C::kUnspecified},
    {"::0", C::kUnspecified},
    {"0:0:0:0:0:0:0:0", C::kUnspecified},
    {"::1", C::kLoopback},
    {"0:0:0:0:0:0:0:1", C::kLoopback},
    {"0000:0000:0000:0000:0000:0000:0000:0001", C::kLoopback},
    {"[::1]:3478", C::kLoopback},
    // IPv4-compatible ::a.b.c.d takes the embedded class.
    {"::2", C::kThisNetwork},
    {"::0.0.0.2", C::kThisNetwork},
    {"::127.0.0.1", C::kLoopback},
    {"::7f00:1", C::kLoopback},
    {"::10.1.2.3", C::kPrivate},
    {"::224.0.0.1", C::kMulticast},
    {"::8.8.8.8", C::kPublic},
    {"::255.255.255.255", C::kBroadcast},
    // IPv4-mapped ::ffff:a.b.c.d.
    {"::ffff:0.0.0.0", C::kUnspecified},
    {"::ffff:0.1.2.3", C::kThisNetwork},
    {"::ffff:127.0.0.1", C::kLoopback},
    {"::FFFF:127.0.0.1", C::kLoopback},
    {"::ffff:7f00:1", C::kLoopback},
    {"::FFFF:7F00:0001", C::kLoopback},
    {"0:0:0:0:0:ffff:127.0.0.1", C::kLoopback},
    {"0000:0000:0000:0000:0000:FFFF:7F00:0001", C::kLoopback},
    {"::ffff:127.255.255.255", C::kLoopback},
    {"[::ffff:127.0.0.1]:3478", C::kLoopback},
    {"::ffff:10.0.0.1", C::kPrivate},
    {"::ffff:a00:1", C::kPrivate},
    {"::ffff:172.31.255.255", C::kPrivate},
    {"::ffff:192.168.1.1", C::kPrivate},
    {"::ffff:100.64.0.1", C::kSharedCgnat},
    {"::ffff:169.254.169.254", C::kLinkLocal},
    {"::ffff:224.0.0.1", C::kMulticast},
    {"::ffff:255.255.255.255", C::kBroadcast},
    {"::ffff:192.0.2.1", C::kDocumentation},
    {"::ffff:8.8.8.8", C::kPublic},
    {"::ffff:808:808", C::kPublic},
    // IPv4-translated ::ffff:0:a.b.c.d.
    {"::ffff:0:127.0.0.1", C::kLoopback},
    {"::ffff:0:7f00:1", C::kLoopback},
    {"::ffff:0:10.0.0.1", C::kPrivate},
    {"::ffff:0:8.8.8.8", C::kPublic},
    // Near misses of the embedding forms: unallocated, so reserved.
    {"::fffe:7f00:1", C::kReserved},
    {"::1:0:0:0", C::kReserved},
    {"::ffff:1:7f00:1", C::kReserved},
    {"::1:ffff:7f00:1", C::kReserved},
    {"1::1", C::kReserved},
    // NAT64 keeps its class whatever it embeds.
    {"64:ff9b::", C::kNat64},
    {"64:ff9b::7f00:1", C::kNat64},
    {"64:ff9b::127.0.0.1", C::kNat64},
    {"64:ff9b::8.8.8.8", C::kNat64},
    {"64:ff9b::ffff:ffff", C::kNat64},
    {"64:ff9b::1:0:0", C::kReserved},
    {"64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff", C::kReserved},
    {"64:ff9b:1::", C::kNat64},
    {"64:ff9b:1:ffff:ffff:ffff:ffff:ffff", C::kNat64},
    {"64:ff9b:2::", C::kReserved},
    // 100::/64 discard-only, 100:0:0:1::/64 dummy.
    {"100::", C::kReserved},
    {"100::ffff:ffff:ffff:ffff", C::kReserved},
    {"100:0:0:1::1", C::kReserved},
    // 2001::/23 and its sub-blocks.
    {"1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", C::kReserved},
    {"2000::", C::kPublic},
    {"2001::", C::kTeredo},
    {"2001:0::1", C::kTeredo},
    {"2001:0:4136:e378:8000:63bf:3fff:fdd2", C::kTeredo},
    {"2001:0:ffff:ffff:ffff:ffff:ffff:ffff", C::kTeredo},
    {"2001:1::1", C::kReserved},
    {"2001:1::2", C::kReserved},
    {"2001:2::", C::kBenchmarking},
    {"2001:2:0:ffff:ffff:ffff:ffff:ffff", C::kBenchmarking},
    {"2001:2:1::", C::kReserved},
    {"2001:3::", C::kPublic},
    {"2001:3:ffff:ffff:ffff:ffff:ffff:ffff", C::kPublic},
    {"2001:4:112::1", C::kPublic},
    {"2001:4:113::", C::kReserved},
    {"2001:f:ffff:ffff:ffff:ffff:ffff:ffff", C::kReserved},
    {"2001:10::", C::kOrchid},
    {"2001:1f:ffff:ffff:ffff:ffff:ffff:ffff", C::kOrchid},
    {"2001:20::1", C::kOrchid},
    {"2001:2f:ffff::", C::kOrchid},
    {"2001:30::1", C::kOrchid},
    {"2001:3f:ffff:ffff:ffff:ffff:ffff:ffff", C::kOrchid},
    {"2001:40::", C::kReserved},
    {"2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", C::kReserved},
    {"2001:200::", C::kPublic},
    // 2001:db8::/32 and 3fff::/20 documentation.
    {"2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", C::kPublic},
    {"2001:db8::", C::kDocumentation},
    {"2001:DB8::1", C::kDocumentation},
    {"2001:0db8:0000:0000:0000:0000:0000:0001", C::kDocumentation},
    {"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", C::kDocumentation},
    {"[2001:db8::1]:80", C::kDocumentation},
    {"2001:db9::", C::kPublic},
    {"3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", C::kPublic},
    {"3fff::", C::kDocumentation},
    {"3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", C::kDocumentation},
    {"3fff:1000::", C::kPublic},
    {"3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", C::kPublic},
    // 2002::/16 6to4 keeps its class whatever it embeds.
    {"2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff", C::kPublic},
    {"2002::", C::k6to4},
    {"2002:7f00:1::", C::k6to4},
    {"2002:c0a8:101::1", C::k6to4},
    {"2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", C::k6to4},
    {"2003::", C::kPublic},
    {"2606:4700:4700::1111", C::kPublic},
    {"2001:4860:4860::8888", C::kPublic},
    {"2620:4f:8000::1", C::kPublic},
    // Outside 2000::/3 and unclaimed.
    {"4000::", C::kReserved},
    {"5f00::1", C::kReserved},
    {"fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", C::kReserved},
    // fc00::/7 unique local.
    {"fc00::", C::kUniqueLocal},
    {"fd12:3456:789a::1", C::kUniqueLocal},
    {"FDFF::", C::kUniqueLocal},
    {"fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", C::kUniqueLocal},
    {"fe00::", C::kReserved},
    {"fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", C::kReserved},
    // fe80::/10 link local, fec0::/10 site local.
    {"fe80::", C::kLinkLocal},
    {"fe80::1", C::kLinkLocal},
    {"FE80::1", C::kLinkLocal},
    {"fe80:0000:0000:0000:0000:0000:0000:0001", C::kLinkLocal},
    {"febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", C::kLinkLocal},
    {"fec0::", C::kSiteLocal},
    {"fec0::1", C::kSiteLocal},
    {"feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", C::kSiteLocal},
    // ff00::/8 multicast.
    {"ff00::", C::kMulticast},
    {"ff02::1", C::kMulticast},
    {"FF02::1:FF00:1", C::kMulticast},
    {"ff05::1:3", C::kMulticast},
    {"ff0e::1", C::kMulticast},
    {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", C::kMulticast},
};

class ClassifyTable : public ::testing::TestWithParam<Row> {};

TEST_P(ClassifyTable, ClassifiesByMeaning) {
  const Row& row = GetParam();
  auto address = SocketAddress::parse(row.text);
  ASSERT_TRUE(address) << row.text;
  EXPECT_STREQ(to_string(classify(*address)), to_string(row.expected)) << row.text;
}

std::string row_name(const ::testing::TestParamInfo<Row>& info) {
  std::string name = std::to_string(info.index) + "_";
  for (const char* p = info.param.text; *p != '\0'; ++p) {
    name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(AddressClass, ClassifyTable, ::testing::ValuesIn(kRows), row_name);

TEST(AddressClass, TableIsLong) {
  EXPECT_GE(std::size(kRows), 100u);
}

// inet_pton takes only dotted-quad decimal, so the BSD inet_aton spellings of
// 127.0.0.1 (octal, hex, shortened, a single integer) never become an address
// that classify() would have to see through.
TEST(AddressClass, LegacyAndScopedSpellingsDoNotParse) {
  for (const char* text : {"0177.0.0.1",
                           "0x7f.0.0.1",
                           "0x7f000001",
                           "2130706433",
                           "017700000001",
                           "127.1",
                           "127.0.1",
                           "127.0.0.01",
                           "010.0.0.1",
                           "127.000.000.001",
                           " 127.0.0.1",
                           "127.0.0.1 ",
                           "127.0.0.1.",
                           "::ffff:0177.0.0.1",
                           "::ffff:127.1",
                           "fe80::1%eth0",
                           "fe80::1%1",
                           "[fe80::1%25eth0]:3478",
                           "::ffff:127.0.0.256",
                           "1:2:3:4:5:6:7:8:9",
                           ":::1"}) {
    EXPECT_FALSE(SocketAddress::parse(text)) << text;
  }
}

TEST(AddressClass, EmptyAddressIsUnspecified) {
  EXPECT_EQ(classify(SocketAddress()), AddressClass::kUnspecified);
}

TEST(AddressClass, PortIsIgnored) {
  EXPECT_EQ(classify(*SocketAddress::parse("10.0.0.1:1")), AddressClass::kPrivate);
  EXPECT_EQ(classify(*SocketAddress::parse("[fc00::1]:65535")), AddressClass::kUniqueLocal);
}

TEST(AddressClass, EmbeddedIpv4KeepsPortAndOnlyUnwrapsEmbeddingForms) {
  auto mapped = embedded_ipv4(*SocketAddress::parse("[::ffff:127.0.0.1]:3478"));
  ASSERT_TRUE(mapped);
  EXPECT_EQ(mapped->to_string(), "127.0.0.1:3478");
  EXPECT_EQ(embedded_ipv4(*SocketAddress::parse("::ffff:0:10.1.2.3"))->ip_string(), "10.1.2.3");
  EXPECT_EQ(embedded_ipv4(*SocketAddress::parse("::8.8.4.4"))->ip_string(), "8.8.4.4");
  for (const char* text : {"127.0.0.1", "::", "::1", "64:ff9b::7f00:1", "2002:7f00:1::",
                           "2001:0:4136:e378:8000:63bf:3fff:fdd2", "::fffe:7f00:1", "fe80::1"}) {
    EXPECT_FALSE(embedded_ipv4(*SocketAddress::parse(text))) << text;
  }
  EXPECT_FALSE(embedded_ipv4(SocketAddress()));
}

TEST(AddressClass, EveryClassHasADistinctName) {
  std::set<std::string> names;
  for (size_t i = 0; i < kAddressClassCount; ++i) {
    const char* name = to_string(static_cast<AddressClass>(i));
    ASSERT_NE(name, nullptr);
    EXPECT_STRNE(name, "unknown");
    names.insert(name);
  }
  EXPECT_EQ(names.size(), kAddressClassCount);
}

}  // namespace
}  // namespace turnd::turn

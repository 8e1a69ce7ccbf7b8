#include "turnd/turn/peer_policy.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <set>
#include <string>

namespace turnd::turn {
namespace {

using Reason = PeerPolicy::Reason;

SocketAddress peer(const char* text) {
  auto address = SocketAddress::parse(text, 5000);
  EXPECT_TRUE(address) << text;
  return address.value_or(SocketAddress());
}

std::vector<IpRange> ranges(std::initializer_list<const char*> texts) {
  std::vector<IpRange> out;
  for (const char* text : texts) {
    auto range = IpRange::parse(text);
    EXPECT_TRUE(range) << text;
    if (range) out.push_back(*range);
  }
  return out;
}

PeerPolicy policy(std::initializer_list<const char*> allowed,
                  std::initializer_list<const char*> denied, bool allow_loopback = false) {
  return PeerPolicy({ranges(allowed), ranges(denied), allow_loopback});
}

Reason reason(const PeerPolicy& p, const char* text) {
  return p.decide(peer(text)).reason;
}

TEST(PeerPolicy, DefaultsAllowPublicPeers) {
  PeerPolicy p({});
  for (const char* text : {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8",
                           "192.31.196.1", "2001:3::1"}) {
    EXPECT_TRUE(p.allows(peer(text))) << text;
    EXPECT_EQ(reason(p, text), Reason::kPublic) << text;
  }
}

TEST(PeerPolicy, DefaultsDenyEverySpecialClass) {
  PeerPolicy p({});
  for (const char* text : {"127.0.0.1",        "::1",          "10.0.0.1",        "172.16.0.1",
                           "192.168.1.1",      "100.64.0.1",   "169.254.169.254", "fe80::1",
                           "192.0.2.1",        "2001:db8::1",  "3fff::1",         "198.18.0.1",
                           "2001:2::1",        "240.0.0.1",    "192.0.0.9",       "192.88.99.1",
                           "100::1",           "fc00::1",      "fd00::1",         "fec0::1",
                           "64:ff9b::808:808", "64:ff9b:1::1", "2002:808:808::1", "2001::1",
                           "2001:20::1",       "4000::1"}) {
    auto decision = p.decide(peer(text));
    EXPECT_FALSE(decision.allowed) << text;
    EXPECT_EQ(decision.reason, Reason::kSpecialAddress) << text;
  }
}

TEST(PeerPolicy, NeverRelaysToMulticastBroadcastUnspecifiedOrThisNetwork) {
  for (const char* text : {"224.0.0.1", "239.255.255.250", "ff02::1", "255.255.255.255", "0.0.0.0",
                           "::", "0.1.2.3", "::ffff:224.0.0.1", "::ffff:0.0.0.0"}) {
    EXPECT_EQ(reason(PeerPolicy({}), text), Reason::kNeverRelayable) << text;
  }
}

TEST(PeerPolicy, AllowedRangeCannotOpenMulticastOrBroadcast) {
  auto p = policy({"224.0.0.0/4", "ff00::/8", "255.255.255.255", "0.0.0.0/8", "::/0",
                   "0.0.0.0-255.255.255.255"},
                  {});
  for (const char* text : {"224.0.0.1", "ff02::1", "255.255.255.255", "0.0.0.0", "0.0.0.7",
                           "::", "::ffff:239.1.2.3"}) {
    EXPECT_FALSE(p.allows(peer(text))) << text;
    EXPECT_EQ(reason(p, text), Reason::kNeverRelayable) << text;
  }
}

TEST(PeerPolicy, PortZeroIsDenied) {
  auto p = policy({"8.8.8.0/24"}, {});
  EXPECT_FALSE(p.allows(peer("8.8.8.8:0")));
  EXPECT_EQ(p.decide(peer("8.8.8.8:0")).reason, Reason::kPortZero);
  EXPECT_FALSE(p.allows(peer("[2606:4700:4700::1111]:0")));
  EXPECT_TRUE(p.allows(peer("8.8.8.8:1")));
}

TEST(PeerPolicy, AllowLoopbackOpensOnlyLoopback) {
  PeerPolicy p({.allow_loopback = true});
  for (const char* text :
       {"127.0.0.1", "127.255.255.254", "::1", "::ffff:127.0.0.1", "::127.0.0.1"}) {
    EXPECT_TRUE(p.allows(peer(text))) << text;
    EXPECT_EQ(reason(p, text), Reason::kLoopbackEnabled) << text;
  }
  for (const char* text : {"10.0.0.1", "fe80::1", "64:ff9b::7f00:1", "2002:7f00:1::1"}) {
    EXPECT_FALSE(p.allows(peer(text))) << text;
  }
  EXPECT_FALSE(PeerPolicy({}).allows(peer("127.0.0.1")));
}

TEST(PeerPolicy, DeniedRangeBlocksAPublicPeer) {
  auto p = policy({}, {"8.8.8.0/24", "2606:4700::/32"});
  EXPECT_FALSE(p.allows(peer("8.8.8.8")));
  EXPECT_EQ(reason(p, "8.8.8.8"), Reason::kDeniedRange);
  EXPECT_FALSE(p.allows(peer("2606:4700:4700::1111")));
  EXPECT_TRUE(p.allows(peer("8.8.9.8")));
}

TEST(PeerPolicy, DeniedRangeBeatsAllowLoopback) {
  auto p = policy({}, {"127.0.0.53"}, true);
  EXPECT_FALSE(p.allows(peer("127.0.0.53")));
  EXPECT_FALSE(p.allows(peer("::ffff:127.0.0.53")));
  EXPECT_TRUE(p.allows(peer("127.0.0.1")));
}

TEST(PeerPolicy, AllowedRangeOpensAPrivatePeer) {
  auto p = policy({"10.1.0.0/16", "fd00:1::/32"}, {});
  EXPECT_TRUE(p.allows(peer("10.1.2.3")));
  EXPECT_EQ(reason(p, "10.1.2.3"), Reason::kAllowedRange);
  EXPECT_EQ(p.decide(peer("10.1.2.3")).address_class, AddressClass::kPrivate);
  EXPECT_TRUE(p.allows(peer("fd00:1::5")));
  EXPECT_FALSE(p.allows(peer("10.2.0.1")));
  EXPECT_FALSE(p.allows(peer("fd00:2::5")));
}

TEST(PeerPolicy, AllowedWinsOverDenied) {
  auto p = policy({"10.1.2.0/24", "8.8.8.8"}, {"10.0.0.0/8", "8.0.0.0/8"});
  EXPECT_TRUE(p.allows(peer("10.1.2.3")));
  EXPECT_FALSE(p.allows(peer("10.1.3.3")));
  EXPECT_EQ(reason(p, "10.1.3.3"), Reason::kDeniedRange);
  EXPECT_TRUE(p.allows(peer("8.8.8.8")));
  EXPECT_FALSE(p.allows(peer("8.8.4.4")));
}

TEST(PeerPolicy, AllowedIpv4RangeMatchesEmbeddedIpv4) {
  auto p = policy({"10.1.0.0/16"}, {});
  for (const char* text :
       {"::ffff:10.1.2.3", "::ffff:a01:203", "::ffff:0:10.1.2.3", "::10.1.2.3"}) {
    EXPECT_TRUE(p.allows(peer(text))) << text;
  }
  // NAT64 and 6to4 carry IPv4 too, but are only opened by their own prefixes.
  EXPECT_FALSE(p.allows(peer("64:ff9b::a01:203")));
  EXPECT_FALSE(p.allows(peer("2002:a01:203::1")));
  EXPECT_TRUE(policy({"64:ff9b::/96"}, {}).allows(peer("64:ff9b::a01:203")));
}

TEST(PeerPolicy, EmbeddedIpv4CannotBypassDeniedRange) {
  auto p = policy({}, {"8.8.8.0/24"});
  for (const char* text : {"8.8.8.8", "::ffff:8.8.8.8", "::FFFF:808:808", "::ffff:0:8.8.8.8",
                           "::8.8.8.8", "0:0:0:0:0:ffff:0808:0808"}) {
    EXPECT_FALSE(p.allows(peer(text))) << text;
    EXPECT_EQ(reason(p, text), Reason::kDeniedRange) << text;
  }
  EXPECT_TRUE(p.allows(peer("::ffff:8.8.4.4")));
}

TEST(PeerPolicy, EmbeddedIpv4CannotBypassClassDefaults) {
  PeerPolicy p({});
  for (const char* text :
       {"::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:0:127.0.0.1", "::127.0.0.1", "::ffff:10.0.0.1",
        "::ffff:192.168.0.1", "::ffff:169.254.169.254", "::ffff:100.64.0.1"}) {
    EXPECT_FALSE(p.allows(peer(text))) << text;
    EXPECT_EQ(reason(p, text), Reason::kSpecialAddress) << text;
  }
}

TEST(PeerPolicy, Ipv6RangeWrittenForMappedSpaceAlsoMatches) {
  auto p = policy({}, {"::ffff:0:0/96"});
  EXPECT_FALSE(p.allows(peer("::ffff:8.8.8.8")));
  EXPECT_TRUE(p.allows(peer("8.8.8.8")));
}

TEST(PeerPolicy, EmptyPeerIsDenied) {
  EXPECT_FALSE(PeerPolicy({}).allows(SocketAddress()));
}

TEST(PeerPolicy, EveryReasonHasADistinctName) {
  std::set<std::string> names;
  for (size_t i = 0; i < PeerPolicy::kReasonCount; ++i) {
    names.insert(to_string(static_cast<Reason>(i)));
  }
  EXPECT_EQ(names.size(), PeerPolicy::kReasonCount);
  EXPECT_EQ(names.count("unknown"), 0u);
}

}  // namespace
}  // namespace turnd::turn

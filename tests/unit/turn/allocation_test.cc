// turn::Allocation on its own: relays by family, permissions (RFC 8656 §9),
// channel bindings (§12) and the max-bps token bucket.
#include "turnd/turn/allocation.h"

#include <gtest/gtest.h>

#include "tests/unit/turn/stun_client.h"

namespace turnd::turn::test {
namespace {

class NullSink final : public RelaySink {
 public:
  void on_peer_packet(void*, const SocketAddress&, MutableBytes, size_t, size_t) noexcept override {
  }
};

class AllocationTest : public ::testing::Test {
 protected:
  AllocationTest()
      : allocation_(make_tuple("192.0.2.10:40000"), link_.retain(), "alice",
                    stun::TransactionId{}) {}

  SteadyTime at(int64_t seconds) const { return SteadyTime{} + Seconds(seconds); }

  FakeLink link_;
  Allocation allocation_;
};

TEST_F(AllocationTest, KeepsWhatItWasMadeWith) {
  EXPECT_EQ(allocation_.username(), "alice");
  EXPECT_EQ(allocation_.tuple(), make_tuple("192.0.2.10:40000"));
  EXPECT_EQ(link_.log()->retained, 1u);
  allocation_.link().send(bytes_of("hi"));
  ASSERT_EQ(link_.log()->sent.size(), 1u);
  EXPECT_EQ(link_.log()->sent[0], bytes_of("hi"));
}

TEST_F(AllocationTest, StoresTheKey) {
  ByteVector key = pattern(16);
  allocation_.set_key(key, stun::MacAlgorithm::kSha1);
  EXPECT_EQ(to_vector(allocation_.key()), key);
  EXPECT_EQ(allocation_.algorithm(), stun::MacAlgorithm::kSha1);
}

TEST_F(AllocationTest, FindsRelaysByFamily) {
  FakeRelayFactory factory;
  NullSink sink;
  factory.ipv6 = true;
  RelayRequest v4;
  RelayRequest v6{.family = Family::kIPv6};
  allocation_.add_relay(factory.open(v4, sink, nullptr).socket);
  EXPECT_EQ(allocation_.relay_count(), 1u);
  EXPECT_TRUE(allocation_.has_family(Family::kIPv4));
  EXPECT_FALSE(allocation_.has_family(Family::kIPv6));
  EXPECT_EQ(allocation_.relay_for(Family::kIPv6), nullptr);
  allocation_.add_relay(factory.open(v6, sink, nullptr).socket);
  EXPECT_EQ(allocation_.relay_count(), 2u);
  ASSERT_NE(allocation_.relay_for(Family::kIPv6), nullptr);
  EXPECT_EQ(allocation_.relay_for(Family::kIPv6)->local_address(), addr("[2001:db8::1]:50001"));
  EXPECT_EQ(allocation_.relay_for(Family::kIPv4)->local_address(), addr("203.0.113.1:50000"));
}

TEST_F(AllocationTest, PermissionIsPerIpAndExpires) {
  EXPECT_FALSE(allocation_.has_permission(addr(kPeerA), at(0)));
  ASSERT_TRUE(allocation_.install_permission(addr(kPeerA), at(300)));
  EXPECT_TRUE(allocation_.has_permission(addr("8.8.8.8:1"), at(0)));
  EXPECT_TRUE(allocation_.has_permission(addr(kPeerA), at(299)));
  EXPECT_FALSE(allocation_.has_permission(addr(kPeerA), at(300)));
  EXPECT_FALSE(allocation_.has_permission(addr(kPeerB), at(0)));
}

TEST_F(AllocationTest, InstallingAgainRefreshesWithoutDuplicating) {
  ASSERT_TRUE(allocation_.install_permission(addr(kPeerA), at(300)));
  ASSERT_TRUE(allocation_.install_permission(addr("8.8.8.8:7"), at(500)));
  EXPECT_EQ(allocation_.permission_count(), 1u);
  EXPECT_TRUE(allocation_.has_permission(addr(kPeerA), at(450)));
}

TEST_F(AllocationTest, PermissionsAreLimited) {
  for (size_t i = 0; i < Allocation::kMaxPermissions; ++i) {
    std::array<std::byte, 4> ip{std::byte{9}, std::byte{9}, static_cast<std::byte>(i >> 8),
                                static_cast<std::byte>(i)};
    SocketAddress peer = SocketAddress::from_bytes(ip, 1);
    ASSERT_TRUE(allocation_.install_permission(peer, at(300))) << i;
  }
  EXPECT_FALSE(allocation_.install_permission(addr(kPeerA), at(300)));
  // Refreshing an existing one still works when full.
  EXPECT_TRUE(allocation_.install_permission(addr("9.9.0.0:5"), at(400)));
}

TEST_F(AllocationTest, ExpireDropsOldPermissions) {
  allocation_.install_permission(addr(kPeerA), at(300));
  allocation_.install_permission(addr(kPeerB), at(600));
  allocation_.expire(at(300));
  EXPECT_EQ(allocation_.permission_count(), 1u);
  EXPECT_TRUE(allocation_.has_permission(addr(kPeerB), at(300)));
}

TEST_F(AllocationTest, BindsChannelsBothWays) {
  EXPECT_EQ(allocation_.bind_channel(0x4000, addr(kPeerA), at(600)), Allocation::BindResult::kOk);
  const Channel* by_number = allocation_.channel_by_number(0x4000, at(0));
  const Channel* by_peer = allocation_.channel_by_peer(addr(kPeerA), at(0));
  ASSERT_NE(by_number, nullptr);
  EXPECT_EQ(by_number, by_peer);
  EXPECT_EQ(by_number->peer, addr(kPeerA));
  EXPECT_EQ(allocation_.channel_by_peer(addr("8.8.8.8:4001"), at(0)), nullptr);  // port matters
  EXPECT_EQ(allocation_.channel_by_number(0x4000, at(600)), nullptr);            // expired
}

TEST_F(AllocationTest, ChannelConflicts) {
  ASSERT_EQ(allocation_.bind_channel(0x4000, addr(kPeerA), at(600)), Allocation::BindResult::kOk);
  EXPECT_EQ(allocation_.bind_channel(0x4000, addr(kPeerB), at(600)),
            Allocation::BindResult::kConflict);
  EXPECT_EQ(allocation_.bind_channel(0x4001, addr(kPeerA), at(600)),
            Allocation::BindResult::kConflict);
  EXPECT_EQ(allocation_.bind_channel(0x4000, addr(kPeerA), at(900)), Allocation::BindResult::kOk);
  EXPECT_NE(allocation_.channel_by_number(0x4000, at(800)), nullptr);
  EXPECT_EQ(allocation_.channel_count(), 1u);
}

TEST_F(AllocationTest, ChannelsAreLimited) {
  for (uint16_t i = 0; i < Allocation::kMaxChannels; ++i) {
    std::array<std::byte, 4> ip{std::byte{9}, std::byte{9}, std::byte{9},
                                static_cast<std::byte>(i)};
    ASSERT_EQ(allocation_.bind_channel(0x4000 + i, SocketAddress::from_bytes(ip, 1), at(600)),
              Allocation::BindResult::kOk);
  }
  EXPECT_EQ(allocation_.bind_channel(0x4FFF, addr(kPeerA), at(600)), Allocation::BindResult::kFull);
}

TEST_F(AllocationTest, ExpiredChannelIsHeldFiveMinutes) {
  ASSERT_EQ(allocation_.bind_channel(0x4000, addr(kPeerA), at(600)), Allocation::BindResult::kOk);
  allocation_.expire(at(899));
  EXPECT_EQ(allocation_.channel_count(), 1u);
  EXPECT_EQ(allocation_.bind_channel(0x4000, addr(kPeerB), at(1500)),
            Allocation::BindResult::kConflict);
  allocation_.expire(at(900));
  EXPECT_EQ(allocation_.channel_count(), 0u);
  EXPECT_EQ(allocation_.bind_channel(0x4000, addr(kPeerB), at(1500)), Allocation::BindResult::kOk);
}

TEST_F(AllocationTest, BandwidthBucket) {
  EXPECT_TRUE(allocation_.take_bandwidth(1'000'000, 0, at(0)));  // 0 = unlimited
  EXPECT_TRUE(allocation_.take_bandwidth(500, 1000, at(10)));
  EXPECT_TRUE(allocation_.take_bandwidth(500, 1000, at(10)));
  EXPECT_FALSE(allocation_.take_bandwidth(1, 1000, at(10)));
  EXPECT_FALSE(allocation_.take_bandwidth(1001, 1000, at(100)));  // never more than 1 s
  EXPECT_TRUE(allocation_.take_bandwidth(1000, 1000, at(100)));
}

}  // namespace
}  // namespace turnd::turn::test

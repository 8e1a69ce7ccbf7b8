// turn::Server: ChannelBind (RFC 8656 §11) and ChannelData both ways (§12).
#include <gtest/gtest.h>

#include "tests/unit/turn/stun_client.h"
#include "turnd/stun/attr/additional_address_family.h"

namespace turnd::turn::test {
namespace {

using stun::Method;
namespace attr = stun::attr;
namespace error = stun::error;

constexpr uint16_t kChannel = 0x4001;

class ServerChannelTest : public AllocatedClientTest {
 protected:
  void bind(uint16_t number, std::string_view peer) {
    Message response = client_.channel_bind(number, addr(peer));
    ASSERT_TRUE(response.is_success(Method::kChannelBind)) << response;
  }
};

TEST_F(ServerChannelTest, BindSucceedsAndInstallsAPermission) {
  Message response = client_.channel_bind(kChannel, addr(kPeerA));
  ASSERT_TRUE(response.is_success(Method::kChannelBind)) << response;
  EXPECT_TRUE(response.integrity_ok(client_.mac(), client_.key()));
  const Allocation* a = client_.allocation();
  EXPECT_EQ(a->channel_count(), 1u);
  EXPECT_EQ(a->permission_count(), 1u);
  const Channel* channel = a->channel_by_number(kChannel, h_.clock.now());
  ASSERT_NE(channel, nullptr);
  EXPECT_EQ(channel->peer, addr(kPeerA));

  // The permission covers the peer's IP: another port of it gets Data indications.
  client_.relay().deliver(addr("8.8.8.8:4001"), pattern(4));
  auto received = client_.take_received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_TRUE(Message(received[0]).is(Method::kData, stun::MessageClass::kIndication));
}

TEST_F(ServerChannelTest, ClientChannelDataReachesThePeer) {
  bind(kChannel, kPeerA);
  ByteVector payload = pattern(37);
  EXPECT_TRUE(client_.send_channel_data(kChannel, payload).empty());
  auto& sent = client_.relay().sent;
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].first, addr(kPeerA));
  EXPECT_EQ(sent[0].second, payload);
  EXPECT_EQ(h_.metrics().packets_to_peers.get(), 1u);
  EXPECT_EQ(h_.metrics().bytes_to_peers.get(), 37u);
}

TEST_F(ServerChannelTest, ClientChannelDataMayCarryPaddingOverUdp) {
  bind(kChannel, kPeerA);
  ByteVector frame = {std::byte{0x40}, std::byte{0x01}, std::byte{0},   std::byte{3},
                      std::byte{'a'},  std::byte{'b'},  std::byte{'c'}, std::byte{0}};
  client_.send_raw(frame);
  ASSERT_EQ(client_.relay().sent.size(), 1u);
  EXPECT_EQ(client_.relay().sent[0].second, bytes_of("abc"));
}

TEST_F(ServerChannelTest, PeerPacketArrivesAsChannelData) {
  bind(kChannel, kPeerA);
  ByteVector payload = pattern(5);
  client_.relay().deliver(addr(kPeerA), payload);
  auto received = client_.take_received();
  ASSERT_EQ(received.size(), 1u);
  ChannelDataFrame frame = parse_channel_data(received[0]);
  ASSERT_TRUE(frame.valid);
  EXPECT_EQ(frame.number, kChannel);
  EXPECT_EQ(frame.length, 5u);
  EXPECT_EQ(frame.payload, payload);
  EXPECT_EQ(frame.wire_size, 9u);  // no padding over UDP
  EXPECT_EQ(h_.metrics().packets_from_peers.get(), 1u);
  EXPECT_EQ(h_.metrics().bytes_from_peers.get(), 5u);
}

TEST_F(ServerChannelTest, UnboundNumberIsDropped) {
  bind(kChannel, kPeerA);
  client_.send_channel_data(0x4002, pattern(10));
  EXPECT_TRUE(client_.relay().sent.empty());
  EXPECT_EQ(h_.metrics().dropped_packets.get(), 1u);
}

TEST_F(ServerChannelTest, TruncatedChannelDataIsMalformed) {
  bind(kChannel, kPeerA);
  ByteVector claims_more = {std::byte{0x40}, std::byte{0x01}, std::byte{0},
                            std::byte{100},  std::byte{1},    std::byte{2}};
  ByteVector too_short = {std::byte{0x40}, std::byte{0x01}, std::byte{0}};
  EXPECT_TRUE(client_.send_raw(claims_more).empty());
  EXPECT_TRUE(client_.send_raw(too_short).empty());
  EXPECT_TRUE(client_.relay().sent.empty());
  EXPECT_EQ(h_.metrics().malformed_packets.get(), 2u);
}

TEST_F(ServerChannelTest, NumberBelowTheRangeIs400) {
  Message response = client_.channel_bind(0x3FFF, addr(kPeerA));
  ASSERT_TRUE(response.is_error(Method::kChannelBind)) << response;
  EXPECT_EQ(response.error_code(), error::kBadRequest);
  EXPECT_EQ(client_.allocation()->channel_count(), 0u);
  EXPECT_EQ(client_.allocation()->permission_count(), 0u);
}

// RFC 8656 §12 narrowed channel numbers to 0x4000-0x4FFF, but RFC 5766's
// 0x4000-0x7FFF is still what deployed clients use (coturn's turnutils_uclient
// binds 0x5cd0-style numbers), so turnd accepts it, as coturn does.
TEST_F(ServerChannelTest, Rfc5766RangeAbove0x4FFFIsAccepted) {
  for (uint16_t number : {0x5000, 0x7FFF}) {
    Message response = client_.channel_bind(number, addr(number == 0x5000 ? kPeerA : kPeerB));
    EXPECT_TRUE(response.is_success(Method::kChannelBind))
        << std::hex << number << ": " << response;
  }
  EXPECT_EQ(client_.allocation()->channel_count(), 2u);
}

TEST_F(ServerChannelTest, NumberOutsideChannelDataSpaceIs400) {
  for (uint16_t number : {0x8000, 0xFFFF, 0x0000}) {
    Message response = client_.channel_bind(number, addr(kPeerA));
    EXPECT_EQ(response.error_code(), error::kBadRequest) << std::hex << number << ": " << response;
  }
  EXPECT_EQ(client_.allocation()->channel_count(), 0u);
}

TEST_F(ServerChannelTest, NumberBoundToAnotherPeerIs400) {
  bind(kChannel, kPeerA);
  Message response = client_.channel_bind(kChannel, addr(kPeerB));
  ASSERT_TRUE(response.is_error(Method::kChannelBind)) << response;
  EXPECT_EQ(response.error_code(), error::kBadRequest);
  EXPECT_TRUE(response.integrity_ok(client_.mac(), client_.key()));
  EXPECT_EQ(client_.allocation()->channel_by_number(kChannel, h_.clock.now())->peer, addr(kPeerA));
  // Same IP, other port: another transport address, so also a conflict.
  EXPECT_EQ(client_.channel_bind(kChannel, addr("8.8.8.8:4001")).error_code(), error::kBadRequest);
}

TEST_F(ServerChannelTest, PeerBoundToAnotherNumberIs400) {
  bind(kChannel, kPeerA);
  Message response = client_.channel_bind(0x4002, addr(kPeerA));
  EXPECT_EQ(response.error_code(), error::kBadRequest) << response;
  EXPECT_EQ(client_.allocation()->channel_count(), 1u);
}

TEST_F(ServerChannelTest, BindingTheSamePairAgainRefreshesIt) {
  bind(kChannel, kPeerA);
  h_.advance(500);
  bind(kChannel, kPeerA);  // refreshes the channel and the permission
  EXPECT_EQ(client_.allocation()->channel_count(), 1u);
  h_.advance(200);  // 700 s after the first bind
  client_.send_channel_data(kChannel, pattern(8));
  EXPECT_EQ(client_.relay().sent.size(), 1u);
  client_.relay().deliver(addr(kPeerA), pattern(8));
  auto received = client_.take_received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(parse_channel_data(received[0]).number, kChannel);
}

TEST_F(ServerChannelTest, ChannelExpiresAfter600Seconds) {
  ASSERT_TRUE(client_.refresh(3600).is_success(Method::kRefresh));
  bind(kChannel, kPeerA);
  // Keep the permission alive on its own so only the channel runs out.
  for (int t : {250, 250, 99}) {
    h_.advance(t);
    ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  }
  // 599 s: still bound.
  client_.send_channel_data(kChannel, pattern(4));
  EXPECT_EQ(client_.relay().sent.size(), 1u);

  h_.advance(1);  // 600 s
  client_.send_channel_data(kChannel, pattern(4));
  EXPECT_EQ(client_.relay().sent.size(), 1u);
  EXPECT_EQ(h_.metrics().dropped_packets.get(), 1u);
  // The peer is still permitted, so its packets come as Data indications now.
  client_.relay().deliver(addr(kPeerA), pattern(4));
  auto received = client_.take_received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_TRUE(Message(received[0]).is(Method::kData, stun::MessageClass::kIndication));
}

TEST_F(ServerChannelTest, ChannelDataNeedsALivePermission) {
  bind(kChannel, kPeerA);
  h_.advance(300);  // the permission ChannelBind installed is gone, the channel is not
  client_.send_channel_data(kChannel, pattern(4));
  EXPECT_TRUE(client_.relay().sent.empty());
  client_.relay().deliver(addr(kPeerA), pattern(4));
  EXPECT_TRUE(client_.take_received().empty());
  EXPECT_EQ(h_.metrics().dropped_packets.get(), 2u);
}

TEST_F(ServerChannelTest, ExpiredBindingIsHeldFiveMinutesBeforeReuse) {
  ASSERT_TRUE(client_.refresh(3600).is_success(Method::kRefresh));  // outlive the channel
  bind(kChannel, kPeerA);
  h_.advance(600);
  h_.server.expire();
  EXPECT_EQ(client_.channel_bind(kChannel, addr(kPeerB)).error_code(), error::kBadRequest);
  h_.advance(300);
  h_.server.expire();
  ASSERT_NE(client_.allocation(), nullptr);
  EXPECT_EQ(client_.allocation()->channel_count(), 0u);
  EXPECT_TRUE(client_.channel_bind(kChannel, addr(kPeerB)).is_success(Method::kChannelBind));
}

TEST_F(ServerChannelTest, ExpiredBindingCanBeRenewedForTheSamePeer) {
  ASSERT_TRUE(client_.refresh(3600).is_success(Method::kRefresh));
  bind(kChannel, kPeerA);
  h_.advance(650);
  h_.server.expire();
  bind(kChannel, kPeerA);
  client_.send_channel_data(kChannel, pattern(4));
  EXPECT_EQ(client_.relay().sent.size(), 1u);
}

TEST_F(ServerChannelTest, DeniedPeerIs403) {
  Message response = client_.channel_bind(kChannel, addr("10.0.0.1:5000"));
  EXPECT_EQ(response.error_code(), error::kForbidden) << response;
  EXPECT_EQ(client_.allocation()->channel_count(), 0u);
  EXPECT_EQ(client_.allocation()->permission_count(), 0u);
  EXPECT_EQ(h_.metrics().denied_peers.get(), 1u);
}

TEST_F(ServerChannelTest, PeerOfAnotherFamilyIs443) {
  Message response = client_.channel_bind(kChannel, addr(kPeerV6));
  EXPECT_EQ(response.error_code(), error::kPeerAddressFamilyMismatch) << response;
  EXPECT_EQ(client_.allocation()->channel_count(), 0u);
}

TEST_F(ServerChannelTest, MissingAttributesAre400) {
  Message no_number = client_.request(Method::kChannelBind, [](stun::MessageBuilder& b) {
    stun::XorPeerAddress{addr(kPeerA)}.add_to(b);
  });
  EXPECT_EQ(no_number.error_code(), error::kBadRequest) << no_number;
  Message no_peer = client_.request(Method::kChannelBind, [](stun::MessageBuilder& b) {
    stun::ChannelNumber{kChannel}.add_to(b);
  });
  EXPECT_EQ(no_peer.error_code(), error::kBadRequest) << no_peer;
  EXPECT_EQ(client_.allocation()->channel_count(), 0u);
}

TEST(ServerChannel, WithoutAllocationIs437) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  EXPECT_EQ(client.channel_bind(kChannel, addr(kPeerA)).error_code(), error::kAllocationMismatch);
}

TEST(ServerChannel, OverTcpPeerChannelDataIsPaddedToFourBytes) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000", "alice", "alice-pass", ClientTransport::kTcp);
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  ASSERT_TRUE(client.channel_bind(kChannel, addr(kPeerA)).is_success(Method::kChannelBind));
  for (size_t size : {5u, 8u, 1u, 0u}) {
    ByteVector payload = pattern(size);
    client.relay().deliver(addr(kPeerA), payload);
    auto received = client.take_received();
    ASSERT_EQ(received.size(), 1u) << size;
    ChannelDataFrame frame = parse_channel_data(received[0]);
    ASSERT_TRUE(frame.valid);
    EXPECT_EQ(frame.number, kChannel);
    EXPECT_EQ(frame.length, size);
    EXPECT_EQ(frame.payload, payload);
    EXPECT_EQ(frame.wire_size, pad4(4 + size)) << size;
    EXPECT_EQ(frame.padding, ByteVector(pad4(size) - size, std::byte{0})) << size;
  }
}

TEST(ServerChannel, OverTcpClientChannelDataWithPaddingReachesThePeer) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000", "alice", "alice-pass", ClientTransport::kTcp);
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  ASSERT_TRUE(client.channel_bind(kChannel, addr(kPeerA)).is_success(Method::kChannelBind));
  ByteVector payload = pattern(13);
  client.send_channel_data(kChannel, payload);  // a 20-byte frame
  ASSERT_EQ(client.relay().sent.size(), 1u);
  EXPECT_EQ(client.relay().sent[0].second, payload);
}

TEST(ServerChannel, IPv6PeerOnADualStackAllocation) {
  Harness h({.ipv6 = true});
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client
                  .allocate([](stun::MessageBuilder& b) {
                    stun::AdditionalAddressFamily{stun::kFamilyIPv6}.add_to(b);
                  })
                  .is_success(Method::kAllocate));
  ASSERT_TRUE(client.channel_bind(kChannel, addr(kPeerV6)).is_success(Method::kChannelBind));
  ByteVector payload = pattern(9);
  client.send_channel_data(kChannel, payload);
  EXPECT_TRUE(client.relay(0).sent.empty());
  ASSERT_EQ(client.relay(1).sent.size(), 1u);
  EXPECT_EQ(client.relay(1).sent[0].first, addr(kPeerV6));
  EXPECT_EQ(client.relay(1).sent[0].second, payload);

  client.relay(1).deliver(addr(kPeerV6), payload);
  auto received = client.take_received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(parse_channel_data(received[0]).payload, payload);
}

}  // namespace
}  // namespace turnd::turn::test

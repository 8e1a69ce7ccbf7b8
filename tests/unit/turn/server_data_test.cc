// turn::Server: Send indications (RFC 8656 §10.2), relay send errors and the
// max-bps budget shared by both directions.
#include <gtest/gtest.h>

#include "tests/unit/turn/stun_client.h"
#include "turnd/stun/attr/additional_address_family.h"

namespace turnd::turn::test {
namespace {

using stun::Method;
namespace attr = stun::attr;

using ServerSendTest = AllocatedClientTest;

TEST_F(ServerSendTest, DeliveredToAPermittedPeer) {
  ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  ByteVector payload = pattern(61);
  EXPECT_TRUE(client_.send_indication(addr(kPeerA), payload).empty());  // never answered
  auto& sent = client_.relay().sent;
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].first, addr(kPeerA));
  EXPECT_EQ(sent[0].second, payload);
  EXPECT_EQ(h_.metrics().packets_to_peers.get(), 1u);
  EXPECT_EQ(h_.metrics().bytes_to_peers.get(), 61u);
}

TEST_F(ServerSendTest, PermissionCoversEveryPortOfThePeer) {
  ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  client_.send_indication(addr("8.8.8.8:9999"), bytes_of("x"));
  ASSERT_EQ(client_.relay().sent.size(), 1u);
  EXPECT_EQ(client_.relay().sent[0].first, addr("8.8.8.8:9999"));
}

TEST_F(ServerSendTest, DroppedWithoutPermission) {
  ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  EXPECT_TRUE(client_.send_indication(addr(kPeerB), pattern(10)).empty());
  EXPECT_TRUE(client_.relay().sent.empty());
  EXPECT_EQ(h_.metrics().dropped_packets.get(), 1u);
}

TEST_F(ServerSendTest, DroppedAfterThePermissionExpires) {
  ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  h_.advance(300);
  client_.send_indication(addr(kPeerA), pattern(10));
  EXPECT_TRUE(client_.relay().sent.empty());
  EXPECT_EQ(h_.metrics().dropped_packets.get(), 1u);
}

TEST_F(ServerSendTest, DeniedPeerIsDroppedAndCounted) {
  for (const char* denied : {"10.0.0.1:5000", "127.0.0.1:5000"}) {
    EXPECT_TRUE(client_.send_indication(addr(denied), pattern(10)).empty());
  }
  EXPECT_TRUE(client_.relay().sent.empty());
  EXPECT_EQ(h_.metrics().denied_peers.get(), 2u);
}

TEST_F(ServerSendTest, WithoutDataOrPeerIsMalformed) {
  ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  ByteVector buffer(128);
  auto id = h_.next_transaction_id();
  stun::MessageBuilder b(buffer, Method::kSend, stun::MessageClass::kIndication, id.bytes);
  stun::XorPeerAddress{addr(kPeerA)}.add_to(b);  // no DATA
  buffer.resize(b.size());
  EXPECT_TRUE(client_.send_raw(buffer).empty());
  EXPECT_TRUE(client_.relay().sent.empty());
  EXPECT_EQ(h_.metrics().malformed_packets.get(), 1u);
}

// RFC 8489 §6.3.2: "If the indication contains unknown comprehension-required
// attributes, the indication is discarded and processing ceases."
TEST_F(ServerSendTest, UnknownComprehensionRequiredAttributeDiscardsIt) {
  ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  client_.send_indication(addr(kPeerA), pattern(10),
                          [](stun::MessageBuilder& b) { b.add_u32(0x7F01, 0); });
  EXPECT_TRUE(client_.relay().sent.empty());
}

TEST_F(ServerSendTest, ComprehensionOptionalAttributeIsIgnored) {
  ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  client_.send_indication(addr(kPeerA), pattern(10),
                          [](stun::MessageBuilder& b) { b.add_u32(0xC001, 0); });
  EXPECT_EQ(client_.relay().sent.size(), 1u);
}

TEST_F(ServerSendTest, RefusedSendIsCounted) {
  ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  client_.relay().refuse_sends = true;
  client_.send_indication(addr(kPeerA), pattern(10));
  EXPECT_EQ(h_.metrics().relay_send_errors.get(), 1u);
  EXPECT_EQ(h_.metrics().packets_to_peers.get(), 0u);
}

TEST(ServerSend, WithoutAllocationIsDropped) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  EXPECT_TRUE(client.send_indication(addr(kPeerA), pattern(10)).empty());
  EXPECT_EQ(h.metrics().dropped_packets.get(), 1u);
}

TEST(ServerSend, IPv6PeerGoesOutOfTheIPv6Relay) {
  Harness h({.ipv6 = true});
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client
                  .allocate([](stun::MessageBuilder& b) {
                    stun::AdditionalAddressFamily{stun::kFamilyIPv6}.add_to(b);
                  })
                  .is_success(Method::kAllocate));
  ASSERT_TRUE(client.create_permission({addr(kPeerA), addr(kPeerV6)})
                  .is_success(Method::kCreatePermission));
  client.send_indication(addr(kPeerV6), bytes_of("six"));
  client.send_indication(addr(kPeerA), bytes_of("four"));
  ASSERT_EQ(client.relay(0).sent.size(), 1u);
  EXPECT_EQ(client.relay(0).sent[0].second, bytes_of("four"));
  ASSERT_EQ(client.relay(1).sent.size(), 1u);
  EXPECT_EQ(client.relay(1).sent[0].first, addr(kPeerV6));
  EXPECT_EQ(client.relay(1).sent[0].second, bytes_of("six"));
}

// ---------------------------------------------------------------------------
// max-bps: one token bucket per allocation holding at most one second's worth.

class ServerBandwidthTest : public ::testing::Test {
 protected:
  ServerBandwidthTest() : h_({.server = {.max_bps = 1000}}), client_(h_, "192.0.2.10:40000") {}

  void SetUp() override {
    ASSERT_TRUE(client_.allocate().is_success(Method::kAllocate));
    ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
    h_.advance(1);  // a full bucket
  }

  Harness h_;
  TestClient client_;
};

TEST_F(ServerBandwidthTest, ClientToPeerOverBudgetIsDropped) {
  client_.send_indication(addr(kPeerA), pattern(600));
  client_.send_indication(addr(kPeerA), pattern(600));
  EXPECT_EQ(client_.relay().sent.size(), 1u);
  EXPECT_EQ(h_.metrics().rate_limited_packets.get(), 1u);
  client_.send_indication(addr(kPeerA), pattern(400));  // exactly what is left
  EXPECT_EQ(client_.relay().sent.size(), 2u);

  h_.advance(1);
  client_.send_indication(addr(kPeerA), pattern(600));
  EXPECT_EQ(client_.relay().sent.size(), 3u);
  EXPECT_EQ(h_.metrics().rate_limited_packets.get(), 1u);
}

TEST_F(ServerBandwidthTest, PeerToClientOverBudgetIsDropped) {
  client_.relay().deliver(addr(kPeerA), pattern(700));
  client_.relay().deliver(addr(kPeerA), pattern(700));
  EXPECT_EQ(client_.take_received().size(), 1u);
  EXPECT_EQ(h_.metrics().rate_limited_packets.get(), 1u);
  EXPECT_EQ(h_.metrics().packets_from_peers.get(), 1u);
}

TEST_F(ServerBandwidthTest, BothDirectionsShareTheBudget) {
  client_.send_indication(addr(kPeerA), pattern(800));
  client_.relay().deliver(addr(kPeerA), pattern(300));
  EXPECT_EQ(client_.relay().sent.size(), 1u);
  EXPECT_TRUE(client_.take_received().empty());
  EXPECT_EQ(h_.metrics().rate_limited_packets.get(), 1u);
}

TEST_F(ServerBandwidthTest, BurstIsCappedAtOneSecond) {
  h_.advance(60);  // idle for a minute: still only 1000 bytes of credit
  client_.send_indication(addr(kPeerA), pattern(1000));
  client_.send_indication(addr(kPeerA), pattern(1));
  EXPECT_EQ(client_.relay().sent.size(), 1u);
  EXPECT_EQ(h_.metrics().rate_limited_packets.get(), 1u);
}

TEST(ServerBandwidth, UnlimitedByDefault) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  ASSERT_TRUE(client.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  for (int i = 0; i < 100; ++i) client.send_indication(addr(kPeerA), pattern(1200));
  EXPECT_EQ(client.relay().sent.size(), 100u);
  EXPECT_EQ(h.metrics().rate_limited_packets.get(), 0u);
}

// ---------------------------------------------------------------------------
// The receive buffer contract (RelaySink): the Server writes headers into the
// headroom and padding into the tailroom, and never past them.

TEST(ServerPeerBuffer, TooLittleHeadroomDropsInsteadOfWritingOutside) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  ASSERT_TRUE(client.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  client.relay().deliver(addr(kPeerA), pattern(8), /*headroom=*/16, /*tailroom=*/0);
  EXPECT_TRUE(client.take_received().empty());
  client.relay().deliver(addr(kPeerA), pattern(8), Server::kPeerHeadroom, Server::kPeerTailroom);
  EXPECT_EQ(client.take_received().size(), 1u);
}

}  // namespace
}  // namespace turnd::turn::test

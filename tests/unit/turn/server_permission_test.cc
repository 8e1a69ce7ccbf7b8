// turn::Server: CreatePermission (RFC 8656 §9), the peer policy (§21), and
// peer datagrams delivered as Data indications (§10.3).
#include <gtest/gtest.h>

#include "tests/unit/turn/stun_client.h"
#include "turnd/stun/attr/additional_address_family.h"
#include "turnd/stun/attr/data.h"
#include "turnd/stun/attr/requested_address_family.h"

namespace turnd::turn::test {
namespace {

using stun::Method;
namespace attr = stun::attr;
namespace error = stun::error;

// Checks that `frame` is a Data indication from `peer` carrying `payload`.
void expect_data_indication(const ByteVector& frame, const SocketAddress& peer,
                            const ByteVector& payload) {
  Message m(frame);
  ASSERT_TRUE(m.is(Method::kData, stun::MessageClass::kIndication)) << m;
  EXPECT_EQ(m.xor_address(attr::kXorPeerAddress), peer);
  EXPECT_EQ(m.value(attr::kData), payload);
  EXPECT_FALSE(m.has(attr::kMessageIntegrity));
}

using ServerPermissionTest = AllocatedClientTest;

TEST_F(ServerPermissionTest, InstallsAPermissionAndPeerPacketsBecomeDataIndications) {
  Message response = client_.create_permission({addr("8.8.8.8:1")});
  ASSERT_TRUE(response.is_success(Method::kCreatePermission)) << response;
  EXPECT_TRUE(response.integrity_ok(client_.mac(), client_.key()));
  EXPECT_EQ(client_.allocation()->permission_count(), 1u);

  // The permission is for the IP: any port of the peer may send.
  ByteVector payload = pattern(100);
  client_.relay().deliver(addr(kPeerA), payload);
  auto received = client_.take_received();
  ASSERT_EQ(received.size(), 1u);
  expect_data_indication(received[0], addr(kPeerA), payload);
  EXPECT_EQ(received[0].size(), 20u + 12u + 4u + 100u);
  EXPECT_EQ(h_.metrics().packets_from_peers.get(), 1u);
  EXPECT_EQ(h_.metrics().bytes_from_peers.get(), 100u);
  EXPECT_EQ(h_.metrics().dropped_packets.get(), 0u);
}

TEST_F(ServerPermissionTest, DataIndicationPadsOddPayloads) {
  ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  ByteVector payload = pattern(5);
  client_.relay().deliver(addr(kPeerA), payload);
  auto received = client_.take_received();
  ASSERT_EQ(received.size(), 1u);
  expect_data_indication(received[0], addr(kPeerA), payload);
  EXPECT_EQ(received[0].size(), 20u + 12u + 4u + 8u);
  EXPECT_EQ(received[0].back(), std::byte{0});  // padding is zeroed, not the buffer's junk
}

TEST_F(ServerPermissionTest, DataIndicationsGetAFreshTransactionIdEach) {
  ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  client_.relay().deliver(addr(kPeerA), pattern(8));
  client_.relay().deliver(addr(kPeerA), pattern(8));
  auto received = client_.take_received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_NE(Message(received[0]).transaction_id(), Message(received[1]).transaction_id());
}

TEST_F(ServerPermissionTest, PeerPacketWithoutPermissionIsDropped) {
  ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  client_.relay().deliver(addr(kPeerB), pattern(20));
  EXPECT_TRUE(client_.take_received().empty());
  EXPECT_EQ(h_.metrics().dropped_packets.get(), 1u);
  EXPECT_EQ(h_.metrics().packets_from_peers.get(), 0u);
}

TEST_F(ServerPermissionTest, OneRequestInstallsSeveralPeers) {
  Message response = client_.create_permission({addr(kPeerA), addr(kPeerB)});
  ASSERT_TRUE(response.is_success(Method::kCreatePermission)) << response;
  EXPECT_EQ(client_.allocation()->permission_count(), 2u);
  client_.relay().deliver(addr(kPeerB), pattern(4));
  EXPECT_EQ(client_.take_received().size(), 1u);
}

TEST_F(ServerPermissionTest, DeniedPeerIs403AndNothingIsInstalled) {
  for (const char* denied : {"127.0.0.1:5000", "10.0.0.1:5000"}) {
    Message response = client_.create_permission({addr(denied)});
    ASSERT_TRUE(response.is_error(Method::kCreatePermission)) << denied << ": " << response;
    EXPECT_EQ(response.error_code(), error::kForbidden) << denied;
    EXPECT_TRUE(response.integrity_ok(client_.mac(), client_.key()));
  }
  EXPECT_EQ(h_.metrics().denied_peers.get(), 2u);
  EXPECT_EQ(client_.allocation()->permission_count(), 0u);

  client_.relay().deliver(addr("10.0.0.1:5000"), pattern(4));
  EXPECT_TRUE(client_.take_received().empty());
}

TEST_F(ServerPermissionTest, OneDeniedPeerFailsTheWholeRequest) {
  Message response = client_.create_permission({addr(kPeerA), addr("10.0.0.1:5000")});
  EXPECT_EQ(response.error_code(), error::kForbidden) << response;
  EXPECT_EQ(client_.allocation()->permission_count(), 0u);
  client_.relay().deliver(addr(kPeerA), pattern(4));
  EXPECT_TRUE(client_.take_received().empty());
}

TEST_F(ServerPermissionTest, PeerOfAnotherFamilyIs443) {
  Message response = client_.create_permission({addr(kPeerV6)});
  ASSERT_TRUE(response.is_error(Method::kCreatePermission)) << response;
  EXPECT_EQ(response.error_code(), error::kPeerAddressFamilyMismatch);
  EXPECT_TRUE(response.integrity_ok(client_.mac(), client_.key()));
  EXPECT_EQ(client_.allocation()->permission_count(), 0u);
}

TEST_F(ServerPermissionTest, MissingPeerAddressIs400) {
  Message response = client_.create_permission({});
  EXPECT_EQ(response.error_code(), error::kBadRequest) << response;
}

TEST_F(ServerPermissionTest, MalformedPeerAddressIs400) {
  Message response = client_.request(Method::kCreatePermission, [](stun::MessageBuilder& b) {
    ByteVector bad = {std::byte{0}, std::byte{0x05}, std::byte{0x12}, std::byte{0x34},
                      std::byte{1}, std::byte{2},    std::byte{3},    std::byte{4}};
    b.add(attr::kXorPeerAddress, bad);  // family 0x05
  });
  EXPECT_EQ(response.error_code(), error::kBadRequest) << response;
  EXPECT_EQ(client_.allocation()->permission_count(), 0u);
}

TEST_F(ServerPermissionTest, PermissionsExpireAfter300Seconds) {
  ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  h_.advance(299);
  client_.relay().deliver(addr(kPeerA), pattern(4));
  EXPECT_EQ(client_.take_received().size(), 1u);

  h_.advance(1);
  client_.relay().deliver(addr(kPeerA), pattern(4));
  EXPECT_TRUE(client_.take_received().empty());
  EXPECT_EQ(h_.metrics().dropped_packets.get(), 1u);

  h_.server.expire();
  EXPECT_EQ(client_.allocation()->permission_count(), 0u);
  EXPECT_EQ(h_.server.allocation_count(), 1u);  // the allocation itself lives on
}

TEST_F(ServerPermissionTest, CreatePermissionAgainRefreshesIt) {
  ASSERT_TRUE(client_.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  h_.advance(200);
  ASSERT_TRUE(client_.create_permission({addr("8.8.8.8:9")}).is_success(Method::kCreatePermission));
  EXPECT_EQ(client_.allocation()->permission_count(), 1u);
  h_.advance(250);  // 450 s after the first one
  client_.relay().deliver(addr(kPeerA), pattern(4));
  EXPECT_EQ(client_.take_received().size(), 1u);
}

// RFC 8656 §9.2: when the server cannot fulfil the request for capacity
// reasons it answers 508; "otherwise" it installs the permissions, so a 508
// must leave none of the request's peers installed.
TEST_F(ServerPermissionTest, CapacityFailureInstallsNothing) {
  std::vector<SocketAddress> peers;
  for (size_t i = 0; i + 1 < Allocation::kMaxPermissions; ++i) {
    std::array<std::byte, 4> ip{std::byte{9}, std::byte{9}, std::byte{1},
                                static_cast<std::byte>(i)};
    peers.push_back(SocketAddress::from_bytes(ip, 1));
  }
  ASSERT_TRUE(client_.create_permission(peers).is_success(Method::kCreatePermission));
  ASSERT_EQ(client_.allocation()->permission_count(), Allocation::kMaxPermissions - 1);

  Message response = client_.create_permission({addr(kPeerA), addr(kPeerB)});  // one fits
  EXPECT_EQ(response.error_code(), error::kInsufficientCapacity) << response;
  EXPECT_EQ(client_.allocation()->permission_count(), Allocation::kMaxPermissions - 1);
  client_.relay().deliver(addr(kPeerA), pattern(4));
  EXPECT_TRUE(client_.take_received().empty());
}

TEST(ServerPermission, WithoutAllocationIs437) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.create_permission({addr(kPeerA)});
  EXPECT_EQ(response.error_code(), error::kAllocationMismatch) << response;
}

TEST(ServerPermission, LoopbackAllowedWhenThePolicySaysSo) {
  Harness h({.policy = {.allow_loopback = true}});
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  Message response = client.create_permission({addr("127.0.0.1:5000")});
  EXPECT_TRUE(response.is_success(Method::kCreatePermission)) << response;
  EXPECT_EQ(client.create_permission({addr("10.0.0.1:5000")}).error_code(), error::kForbidden);
}

TEST(ServerPermission, IPv6PeersOnAnIPv6Allocation) {
  Harness h({.ipv6 = true});
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client
                  .allocate([](stun::MessageBuilder& b) {
                    stun::RequestedAddressFamily{stun::kFamilyIPv6}.add_to(b);
                  })
                  .is_success(Method::kAllocate));
  EXPECT_EQ(client.create_permission({addr(kPeerA)}).error_code(),
            error::kPeerAddressFamilyMismatch);
  ASSERT_TRUE(client.create_permission({addr(kPeerV6)}).is_success(Method::kCreatePermission));
  ByteVector payload = pattern(33);
  client.relay().deliver(addr(kPeerV6), payload);
  auto received = client.take_received();
  ASSERT_EQ(received.size(), 1u);
  expect_data_indication(received[0], addr(kPeerV6), payload);
}

TEST(ServerPermission, DualStackAllocationTakesBothFamilies) {
  Harness h({.ipv6 = true});
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client
                  .allocate([](stun::MessageBuilder& b) {
                    stun::AdditionalAddressFamily{stun::kFamilyIPv6}.add_to(b);
                  })
                  .is_success(Method::kAllocate));
  Message response = client.create_permission({addr(kPeerA), addr(kPeerV6)});
  ASSERT_TRUE(response.is_success(Method::kCreatePermission)) << response;
  client.relay(1).deliver(addr(kPeerV6), pattern(3));
  client.relay(0).deliver(addr(kPeerA), pattern(3));
  auto received = client.take_received();
  ASSERT_EQ(received.size(), 2u);
  expect_data_indication(received[0], addr(kPeerV6), pattern(3));
  expect_data_indication(received[1], addr(kPeerA), pattern(3));
}

TEST(ServerPermission, DataIndicationCarriesFingerprintWhenConfigured) {
  Harness h({.server = {.fingerprint = true}});
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  ASSERT_TRUE(client.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  ByteVector payload = pattern(7);
  client.relay().deliver(addr(kPeerA), payload);
  auto received = client.take_received();
  ASSERT_EQ(received.size(), 1u);
  expect_data_indication(received[0], addr(kPeerA), payload);
  EXPECT_TRUE(Message(received[0]).fingerprint_ok());
}

TEST(ServerPermission, DataIndicationReachesATcpClient) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000", "alice", "alice-pass", ClientTransport::kTcp);
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  ASSERT_TRUE(client.create_permission({addr(kPeerA)}).is_success(Method::kCreatePermission));
  client.relay().deliver(addr(kPeerA), pattern(6));
  auto received = client.take_received();
  ASSERT_EQ(received.size(), 1u);
  expect_data_indication(received[0], addr(kPeerA), pattern(6));
  EXPECT_EQ(received[0].size() % 4, 0u);
}

}  // namespace
}  // namespace turnd::turn::test

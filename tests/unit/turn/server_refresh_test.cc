// turn::Server: Refresh (RFC 8656 §7.3) and the ways an allocation ends:
// LIFETIME 0, expiry (Server::expire) and a closed TCP/TLS link (§5).
#include <gtest/gtest.h>

#include "tests/unit/turn/stun_client.h"
#include "turnd/stun/attr/additional_address_family.h"
#include "turnd/stun/attr/requested_address_family.h"

namespace turnd::turn::test {
namespace {

using stun::Method;
namespace attr = stun::attr;
namespace error = stun::error;

TEST(ServerRefresh, ExtendsTheAllocation) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  h.advance(500);
  Message response = client.refresh(std::nullopt);
  ASSERT_TRUE(response.is_success(Method::kRefresh)) << response;
  EXPECT_EQ(response.lifetime(), 600u);
  EXPECT_TRUE(response.integrity_ok(client.mac(), client.key()));
  ASSERT_NE(client.allocation(), nullptr);
  EXPECT_EQ(client.allocation()->expires(), h.clock.now() + Seconds(600));

  h.advance(500);  // 1000 s after the Allocate: past its first lifetime
  h.server.expire();
  EXPECT_EQ(h.server.allocation_count(), 1u);
  h.advance(100);
  h.server.expire();
  EXPECT_EQ(h.server.allocation_count(), 0u);
}

TEST(ServerRefresh, RequestedLifetimeIsCappedAndFloored) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  EXPECT_EQ(client.refresh(100000).lifetime(), 3600u);
  EXPECT_EQ(client.refresh(1200).lifetime(), 1200u);
  EXPECT_EQ(client.refresh(10).lifetime(), 600u);
}

TEST(ServerRefresh, LifetimeZeroDeletesTheAllocation) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  Message response = client.refresh(0);
  ASSERT_TRUE(response.is_success(Method::kRefresh)) << response;
  EXPECT_EQ(response.lifetime(), 0u);
  EXPECT_TRUE(response.integrity_ok(client.mac(), client.key()));
  EXPECT_EQ(h.server.allocation_count(), 0u);
  EXPECT_EQ(client.allocation(), nullptr);
  EXPECT_EQ(h.relays.open_count(), 0u);
  EXPECT_EQ(client.link_log().retained, 0u);
  EXPECT_EQ(h.metrics().allocations_active.get(), 0u);
  EXPECT_EQ(h.quota.total(), 0u);
}

TEST(ServerRefresh, RetransmittedLifetimeZeroIs437) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  stun::TransactionId id = h.next_transaction_id();
  ASSERT_TRUE(client.refresh(0, {.transaction_id = id}).is_success(Method::kRefresh));
  Message again = client.refresh(0, {.transaction_id = id});
  ASSERT_TRUE(again.is_error(Method::kRefresh)) << again;
  EXPECT_EQ(again.error_code(), error::kAllocationMismatch);
  EXPECT_EQ(again.transaction_id(), id);
}

TEST(ServerRefresh, WithoutAnAllocationIs437) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.refresh(600);
  ASSERT_TRUE(response.is_error(Method::kRefresh)) << response;
  EXPECT_EQ(response.error_code(), error::kAllocationMismatch);
  EXPECT_TRUE(response.integrity_ok(client.mac(), client.key()));
}

TEST(ServerRefresh, IsChallengedLikeAnyRequest) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  Message response = client.transact(client.build(Method::kRefresh, {}, {.sign = false}));
  EXPECT_EQ(response.error_code(), error::kUnauthenticated) << response;
  client.password = "wrong";
  EXPECT_EQ(client.refresh(0).error_code(), error::kUnauthenticated);
  EXPECT_EQ(h.server.allocation_count(), 1u);
}

TEST(ServerRefresh, FromAnotherUserIs441) {
  Harness h;
  TestClient alice(h, "192.0.2.10:40000");
  ASSERT_TRUE(alice.allocate().is_success(Method::kAllocate));
  TestClient bob(h, alice.tuple(), "bob", "bob-pass");
  Message response = bob.refresh(0);
  ASSERT_TRUE(response.is_error(Method::kRefresh)) << response;
  EXPECT_EQ(response.error_code(), error::kWrongCredentials);
  EXPECT_EQ(h.server.allocation_count(), 1u);
}

TEST(ServerRefresh, RequestedFamilyNotInTheAllocationIs443) {
  Harness h({.ipv6 = true});
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));  // IPv4 only
  Message response = client.refresh(600, {});
  ASSERT_TRUE(response.is_success(Method::kRefresh));
  response = client.request(Method::kRefresh, [](stun::MessageBuilder& b) {
    stun::RequestedAddressFamily{stun::kFamilyIPv6}.add_to(b);
  });
  EXPECT_EQ(response.error_code(), error::kPeerAddressFamilyMismatch) << response;
  response = client.request(Method::kRefresh, [](stun::MessageBuilder& b) {
    stun::RequestedAddressFamily{stun::kFamilyIPv4}.add_to(b);
  });
  EXPECT_TRUE(response.is_success(Method::kRefresh)) << response;
}

TEST(ServerRefresh, DualStackAllocationRefreshesWithEitherFamily) {
  Harness h({.ipv6 = true});
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client
                  .allocate([](stun::MessageBuilder& b) {
                    stun::AdditionalAddressFamily{stun::kFamilyIPv6}.add_to(b);
                  })
                  .is_success(Method::kAllocate));
  Message response = client.request(Method::kRefresh, [](stun::MessageBuilder& b) {
    stun::RequestedAddressFamily{stun::kFamilyIPv6}.add_to(b);
  });
  EXPECT_TRUE(response.is_success(Method::kRefresh)) << response;
}

// ---------------------------------------------------------------------------
// Expiry and closed links.

TEST(ServerExpire, DeletesAllocationsWhoseLifetimeEnded) {
  Harness h;
  TestClient early(h, "192.0.2.10:40000");
  ASSERT_TRUE(early.allocate().is_success(Method::kAllocate));
  h.advance(100);
  TestClient late(h, "192.0.2.10:40001");
  ASSERT_TRUE(late.allocate().is_success(Method::kAllocate));

  h.advance(499);  // early: 599 s old
  h.server.expire();
  EXPECT_EQ(h.server.allocation_count(), 2u);
  h.advance(1);  // early: 600 s old
  h.server.expire();
  EXPECT_EQ(h.server.allocation_count(), 1u);
  EXPECT_EQ(early.allocation(), nullptr);
  EXPECT_NE(late.allocation(), nullptr);
  EXPECT_EQ(h.metrics().allocations_expired.get(), 1u);
  EXPECT_EQ(h.metrics().allocations_active.get(), 1u);
  EXPECT_EQ(h.relays.open_count(), 1u);
  EXPECT_EQ(early.link_log().retained, 0u);
  EXPECT_EQ(h.quota.total(), 1u);

  // Its 5-tuple is free again: a Refresh is 437, a new Allocate works.
  EXPECT_EQ(early.refresh(600).error_code(), error::kAllocationMismatch);
  EXPECT_TRUE(early.allocate().is_success(Method::kAllocate));
}

TEST(ServerExpire, LinkClosedDeletesTheAllocation) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000", "alice", "alice-pass", ClientTransport::kTcp);
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  EXPECT_EQ(client.link_log().retained, 1u);
  h.server.on_link_closed(client.tuple());
  EXPECT_EQ(h.server.allocation_count(), 0u);
  EXPECT_EQ(h.relays.open_count(), 0u);
  EXPECT_EQ(client.link_log().retained, 0u);
  EXPECT_EQ(h.metrics().allocations_active.get(), 0u);
  EXPECT_EQ(h.quota.total(), 0u);
  h.server.on_link_closed(client.tuple());  // twice is harmless
  EXPECT_EQ(h.metrics().allocations_active.get(), 0u);
}

TEST(ServerExpire, LinkClosedLeavesOtherAllocationsAlone) {
  Harness h;
  TestClient a(h, "192.0.2.10:40000", "alice", "alice-pass", ClientTransport::kTcp);
  TestClient b(h, "192.0.2.10:40001", "alice", "alice-pass", ClientTransport::kTcp);
  ASSERT_TRUE(a.allocate().is_success(Method::kAllocate));
  ASSERT_TRUE(b.allocate().is_success(Method::kAllocate));
  h.server.on_link_closed(a.tuple());
  EXPECT_EQ(a.allocation(), nullptr);
  EXPECT_NE(b.allocation(), nullptr);
}

}  // namespace
}  // namespace turnd::turn::test

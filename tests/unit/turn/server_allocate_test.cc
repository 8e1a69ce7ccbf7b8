// turn::Server: Allocate (RFC 8656 §7.1-7.2, RFC 6156 §4) and quotas (486).
#include <gtest/gtest.h>

#include "tests/unit/turn/stun_client.h"
#include "turnd/stun/attr/additional_address_family.h"
#include "turnd/stun/attr/dont_fragment.h"
#include "turnd/stun/attr/error_code.h"
#include "turnd/stun/attr/even_port.h"
#include "turnd/stun/attr/requested_address_family.h"
#include "turnd/stun/attr/reservation_token.h"

namespace turnd::turn::test {
namespace {

using stun::Method;
namespace attr = stun::attr;
namespace error = stun::error;

constexpr uint8_t kFamilyUnknown = 0x03;

Attrs requested_family(uint8_t family) {
  return [family](stun::MessageBuilder& b) { stun::RequestedAddressFamily{family}.add_to(b); };
}
Attrs additional_family(uint8_t family) {
  return [family](stun::MessageBuilder& b) { stun::AdditionalAddressFamily{family}.add_to(b); };
}
Attrs lifetime(uint32_t seconds) {
  return [seconds](stun::MessageBuilder& b) { stun::Lifetime{seconds}.add_to(b); };
}
Attrs even_port(bool reserve_next) {
  return [reserve_next](stun::MessageBuilder& b) { stun::EvenPort{reserve_next}.add_to(b); };
}
Attrs reservation_token(const ByteVector& token) {
  return [token](stun::MessageBuilder& b) { b.add(attr::kReservationToken, token); };
}
Attrs both(const Attrs& a, const Attrs& b) {
  return [a, b](stun::MessageBuilder& builder) {
    a(builder);
    b(builder);
  };
}

TEST(ServerAllocate, SucceedsWithRelayedMappedAddressAndLifetime) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate();
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_EQ(response.xor_addresses(attr::kXorRelayedAddress),
            std::vector<SocketAddress>{addr("203.0.113.1:50000")});
  EXPECT_EQ(response.lifetime(), 600u);
  EXPECT_EQ(response.xor_address(attr::kXorMappedAddress), addr("192.0.2.10:40000"));
  EXPECT_FALSE(response.has(attr::kReservationToken));
  EXPECT_TRUE(response.integrity_ok(client.mac(), client.key()));

  EXPECT_EQ(h.server.allocation_count(), 1u);
  const Allocation* a = client.allocation();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->username(), "alice");
  EXPECT_EQ(a->relay_count(), 1u);
  EXPECT_EQ(a->expires(), h.clock.now() + Seconds(600));
  ASSERT_EQ(h.relays.sockets.size(), 1u);
  EXPECT_EQ(h.relays.sockets[0]->context, a);  // peers' packets find their allocation
  EXPECT_EQ(h.relays.sockets[0]->sink, &h.server);
  EXPECT_EQ(h.relays.requests[0].family, Family::kIPv4);
  EXPECT_FALSE(h.relays.requests[0].even_port);
  EXPECT_EQ(h.metrics().allocations_created.get(), 1u);
  EXPECT_EQ(h.metrics().allocations_active.get(), 1u);
  EXPECT_EQ(h.metrics().allocations_by_transport[0].get(), 1u);
  EXPECT_EQ(h.quota.total(), 1u);
  EXPECT_EQ(client.link_log().retained, 1u);  // the allocation keeps a link to the client
}

TEST(ServerAllocate, EachFiveTupleGetsItsOwnRelay) {
  Harness h;
  TestClient a(h, "192.0.2.10:40000");
  TestClient b(h, "192.0.2.10:40001", "bob", "bob-pass");
  EXPECT_EQ(a.allocate_ok(), addr("203.0.113.1:50000"));
  EXPECT_EQ(b.allocate_ok(), addr("203.0.113.1:50001"));
  EXPECT_EQ(h.server.allocation_count(), 2u);
}

TEST(ServerAllocate, LifetimeIsCappedByTheMaximum) {
  Harness h;  // max 3600
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(lifetime(100000));
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_EQ(response.lifetime(), 3600u);
}

TEST(ServerAllocate, LifetimeBelowTheDefaultGetsTheDefault) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(lifetime(30));
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_EQ(response.lifetime(), 600u);
}

TEST(ServerAllocate, LifetimeBetweenDefaultAndMaximumIsGranted) {
  Harness h({.server = {.default_lifetime = 300, .max_lifetime = 1800}});
  TestClient client(h, "192.0.2.10:40000");
  EXPECT_EQ(client.allocate(lifetime(1200)).lifetime(), 1200u);
  TestClient other(h, "192.0.2.10:40001");
  EXPECT_EQ(other.allocate().lifetime(), 300u);
}

TEST(ServerAllocate, AnnouncesTheAdvertisedRelayAddress) {
  Harness h;
  h.relays.external_v4 = addr("198.51.100.7");
  TestClient client(h, "192.0.2.10:40000");
  EXPECT_EQ(client.allocate_ok(), addr("198.51.100.7:50000"));
}

TEST(ServerAllocate, RetransmissionGetsTheSameAnswer) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  client.learn_nonce();
  stun::TransactionId id = h.next_transaction_id();
  Message first = client.allocate({}, {.transaction_id = id});
  ASSERT_TRUE(first.is_success(Method::kAllocate)) << first;
  h.advance(10);
  Message again = client.allocate({}, {.transaction_id = id});
  ASSERT_TRUE(again.is_success(Method::kAllocate)) << again;
  EXPECT_EQ(again.transaction_id(), id);
  EXPECT_EQ(again.xor_addresses(attr::kXorRelayedAddress),
            first.xor_addresses(attr::kXorRelayedAddress));
  EXPECT_EQ(again.xor_address(attr::kXorMappedAddress), addr("192.0.2.10:40000"));
  EXPECT_EQ(again.lifetime(), 590u);  // what is left, not a new lifetime
  EXPECT_TRUE(again.integrity_ok(client.mac(), client.key()));
  EXPECT_EQ(h.server.allocation_count(), 1u);
  EXPECT_EQ(h.relays.sockets.size(), 1u);
  EXPECT_EQ(h.metrics().allocations_created.get(), 1u);
  EXPECT_EQ(h.quota.total(), 1u);
}

TEST(ServerAllocate, NewTransactionOnAnAllocatedFiveTupleIs437) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  Message response = client.allocate();
  ASSERT_TRUE(response.is_error(Method::kAllocate)) << response;
  EXPECT_EQ(response.error_code(), error::kAllocationMismatch);
  EXPECT_TRUE(response.integrity_ok(client.mac(), client.key()));
  EXPECT_EQ(h.server.allocation_count(), 1u);
  EXPECT_EQ(h.relays.sockets.size(), 1u);
}

TEST(ServerAllocate, MissingRequestedTransportIs400) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.request(Method::kAllocate);
  EXPECT_EQ(response.error_code(), error::kBadRequest) << response;
  EXPECT_TRUE(response.integrity_ok(client.mac(), client.key()));
  EXPECT_EQ(h.server.allocation_count(), 0u);
}

TEST(ServerAllocate, TcpTransportIs442) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.request(Method::kAllocate, [](stun::MessageBuilder& b) {
    stun::RequestedTransport{stun::kTransportTcp}.add_to(b);
  });
  EXPECT_EQ(response.error_code(), error::kUnsupportedTransportProtocol) << response;
  EXPECT_EQ(h.server.allocation_count(), 0u);
  EXPECT_EQ(h.quota.total(), 0u);
}

TEST(ServerAllocate, EvenPortGivesAnEvenPort) {
  Harness h;
  TestClient first(h, "192.0.2.10:40000");
  EXPECT_EQ(first.allocate_ok(), addr("203.0.113.1:50000"));  // next free port is odd now
  TestClient client(h, "192.0.2.10:40001");
  Message response = client.allocate(even_port(false));
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_EQ(response.xor_address(attr::kXorRelayedAddress), addr("203.0.113.1:50002"));
  EXPECT_FALSE(response.has(attr::kReservationToken));
  EXPECT_TRUE(h.relays.requests.back().even_port);
  EXPECT_FALSE(h.relays.requests.back().reserve_next);
}

TEST(ServerAllocate, EvenPortWithReserveReturnsATokenForTheNextPort) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(even_port(true));
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_EQ(response.xor_address(attr::kXorRelayedAddress), addr("203.0.113.1:50000"));
  ByteVector token = response.value(attr::kReservationToken);
  ASSERT_EQ(token.size(), 8u);
  EXPECT_TRUE(h.relays.requests.back().reserve_next);

  // Another client (another 5-tuple) redeems the token and gets port + 1.
  TestClient second(h, "192.0.2.20:40000", "bob", "bob-pass");
  Message redeemed = second.allocate(reservation_token(token));
  ASSERT_TRUE(redeemed.is_success(Method::kAllocate)) << redeemed;
  EXPECT_EQ(redeemed.xor_address(attr::kXorRelayedAddress), addr("203.0.113.1:50001"));
  EXPECT_EQ(h.relays.requests.back().reservation_token, 0x0102030405060708ull);
}

TEST(ServerAllocate, UnknownReservationTokenFailsWithTheFactorysError) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ByteVector token(8, std::byte{0x77});
  Message response = client.allocate(reservation_token(token));
  EXPECT_EQ(response.error_code(), error::kInsufficientCapacity) << response;
  EXPECT_EQ(h.server.allocation_count(), 0u);
  EXPECT_EQ(h.quota.total(), 0u);
}

TEST(ServerAllocate, EvenPortWithReservationTokenIs400) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response =
      client.allocate(both(even_port(false), reservation_token(ByteVector(8, std::byte{1}))));
  EXPECT_EQ(response.error_code(), error::kBadRequest) << response;
  EXPECT_EQ(h.server.allocation_count(), 0u);
  EXPECT_TRUE(h.relays.requests.empty());
}

TEST(ServerAllocate, ReservationTokenWithRequestedFamilyIs400) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(
      both(requested_family(stun::kFamilyIPv4), reservation_token(ByteVector(8, std::byte{1}))));
  EXPECT_EQ(response.error_code(), error::kBadRequest) << response;
  EXPECT_TRUE(h.relays.requests.empty());
}

TEST(ServerAllocate, MalformedEvenPortIs400) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response =
      client.allocate([](stun::MessageBuilder& b) { b.add_u32(attr::kEvenPort, 0); });
  EXPECT_EQ(response.error_code(), error::kBadRequest) << response;
}

TEST(ServerAllocate, UnknownRequestedFamilyIs440) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(requested_family(kFamilyUnknown));
  EXPECT_EQ(response.error_code(), error::kAddressFamilyNotSupported) << response;
  EXPECT_TRUE(response.integrity_ok(client.mac(), client.key()));
  EXPECT_EQ(h.server.allocation_count(), 0u);
}

TEST(ServerAllocate, RequestedIPv6WithoutIPv6RelaysIs440) {
  Harness h;  // no IPv6
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(requested_family(stun::kFamilyIPv6));
  EXPECT_EQ(response.error_code(), error::kAddressFamilyNotSupported) << response;
  EXPECT_EQ(h.server.allocation_count(), 0u);
  EXPECT_EQ(h.quota.total(), 0u);
}

TEST(ServerAllocate, RequestedIPv6GivesAnIPv6Relay) {
  Harness h({.ipv6 = true});
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(requested_family(stun::kFamilyIPv6));
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_EQ(response.xor_addresses(attr::kXorRelayedAddress),
            std::vector<SocketAddress>{addr("[2001:db8::1]:50000")});
  EXPECT_EQ(h.relays.requests.back().family, Family::kIPv6);
}

TEST(ServerAllocate, RequestedIPv4IsTheDefault) {
  Harness h({.ipv6 = true});
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(requested_family(stun::kFamilyIPv4));
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_EQ(response.xor_address(attr::kXorRelayedAddress), addr("203.0.113.1:50000"));
}

TEST(ServerAllocate, AdditionalIPv6GivesTwoRelayedAddresses) {
  Harness h({.ipv6 = true});
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(additional_family(stun::kFamilyIPv6));
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_EQ(response.xor_addresses(attr::kXorRelayedAddress),
            (std::vector<SocketAddress>{addr("203.0.113.1:50000"), addr("[2001:db8::1]:50001")}));
  EXPECT_FALSE(response.has(attr::kAddressErrorCode));
  ASSERT_NE(client.allocation(), nullptr);
  EXPECT_EQ(client.allocation()->relay_count(), 2u);
  EXPECT_EQ(h.relays.sockets_of(client.allocation()).size(), 2u);
  EXPECT_EQ(h.quota.total(), 1u);  // one allocation, two relays
}

TEST(ServerAllocate, AdditionalIPv6WithoutIPv6GivesAddressErrorCode) {
  Harness h;  // no IPv6
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(additional_family(stun::kFamilyIPv6));
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_EQ(response.xor_addresses(attr::kXorRelayedAddress),
            std::vector<SocketAddress>{addr("203.0.113.1:50000")});
  stun::AddressErrorCode address_error;
  ASSERT_EQ(stun::AddressErrorCode::get_from(response.view(), address_error),
            stun::DecodeStatus::kOk);
  EXPECT_EQ(address_error.family, stun::kFamilyIPv6);
  EXPECT_EQ(address_error.code, error::kAddressFamilyNotSupported);
  EXPECT_TRUE(response.integrity_ok(client.mac(), client.key()));
}

// RFC 8656 §18.12: ADDRESS-ERROR-CODE says why the additional family was not
// allocated: 440 when it is not supported, 508 when the server ran out.
TEST(ServerAllocate, AdditionalIPv6OutOfCapacityGivesAddressErrorCode508) {
  Harness h({.ipv6 = true});
  h.relays.fail_ipv6_with = error::kInsufficientCapacity;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(additional_family(stun::kFamilyIPv6));
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_EQ(response.xor_addresses(attr::kXorRelayedAddress).size(), 1u);
  stun::AddressErrorCode address_error;
  ASSERT_EQ(stun::AddressErrorCode::get_from(response.view(), address_error),
            stun::DecodeStatus::kOk);
  EXPECT_EQ(address_error.family, stun::kFamilyIPv6);
  EXPECT_EQ(address_error.code, error::kInsufficientCapacity);
}

TEST(ServerAllocate, AdditionalIPv4Is400) {
  Harness h({.ipv6 = true});
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(additional_family(stun::kFamilyIPv4));
  EXPECT_EQ(response.error_code(), error::kBadRequest) << response;
  EXPECT_EQ(h.server.allocation_count(), 0u);
}

TEST(ServerAllocate, RequestedAndAdditionalFamilyTogetherIs400) {
  Harness h({.ipv6 = true});
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(
      both(requested_family(stun::kFamilyIPv4), additional_family(stun::kFamilyIPv6)));
  EXPECT_EQ(response.error_code(), error::kBadRequest) << response;
  EXPECT_EQ(h.server.allocation_count(), 0u);
  EXPECT_TRUE(h.relays.requests.empty());
}

TEST(ServerAllocate, DontFragmentIsAppliedToTheRelay) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client.allocate([](stun::MessageBuilder& b) { stun::DontFragment{}.add_to(b); })
                  .is_success(Method::kAllocate));
  EXPECT_TRUE(client.relay().dont_fragment);

  TestClient plain(h, "192.0.2.10:40001");
  ASSERT_TRUE(plain.allocate().is_success(Method::kAllocate));
  EXPECT_FALSE(plain.relay().dont_fragment);
}

TEST(ServerAllocate, RelayFailureIsReportedAndReleasesTheQuota) {
  Harness h({.user_quota = 1});
  h.relays.fail_with = error::kInsufficientCapacity;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate();
  EXPECT_EQ(response.error_code(), error::kInsufficientCapacity) << response;
  EXPECT_EQ(h.server.allocation_count(), 0u);
  EXPECT_EQ(h.quota.total(), 0u);
  EXPECT_EQ(client.link_log().retained, 0u);
  h.relays.fail_with = 0;
  EXPECT_TRUE(client.allocate().is_success(Method::kAllocate));
}

TEST(ServerAllocate, OverTcpIsCountedPerTransport) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000", "alice", "alice-pass", ClientTransport::kTcp);
  ASSERT_TRUE(client.allocate().is_success(Method::kAllocate));
  EXPECT_EQ(h.metrics().allocations_by_transport[static_cast<size_t>(ClientTransport::kTcp)].get(),
            1u);
  EXPECT_EQ(h.metrics().allocations_by_transport[static_cast<size_t>(ClientTransport::kUdp)].get(),
            0u);
}

// ---------------------------------------------------------------------------
// Quotas (RFC 8656 §7.2 step 10: 486 Allocation Quota Reached).

TEST(ServerQuota, UserQuotaIs486) {
  Harness h({.user_quota = 1});
  TestClient alice(h, "192.0.2.10:40000");
  ASSERT_TRUE(alice.allocate().is_success(Method::kAllocate));
  TestClient alice_again(h, "192.0.2.10:40001");
  Message response = alice_again.allocate();
  ASSERT_TRUE(response.is_error(Method::kAllocate)) << response;
  EXPECT_EQ(response.error_code(), error::kAllocationQuotaReached);
  EXPECT_TRUE(response.integrity_ok(alice_again.mac(), alice_again.key()));
  EXPECT_EQ(h.metrics().quota_rejections.get(), 1u);
  EXPECT_EQ(h.relays.sockets.size(), 1u);

  TestClient bob(h, "192.0.2.10:40002", "bob", "bob-pass");  // another user still fits
  EXPECT_TRUE(bob.allocate().is_success(Method::kAllocate));
}

TEST(ServerQuota, TotalQuotaIs486) {
  Harness h({.total_quota = 1});
  TestClient alice(h, "192.0.2.10:40000");
  ASSERT_TRUE(alice.allocate().is_success(Method::kAllocate));
  TestClient bob(h, "192.0.2.10:40001", "bob", "bob-pass");
  Message response = bob.allocate();
  EXPECT_EQ(response.error_code(), error::kAllocationQuotaReached) << response;
  EXPECT_EQ(h.server.allocation_count(), 1u);
  EXPECT_EQ(h.quota.total(), 1u);
}

TEST(ServerQuota, ReleasedByRefreshZero) {
  Harness h({.user_quota = 1});
  TestClient first(h, "192.0.2.10:40000");
  ASSERT_TRUE(first.allocate().is_success(Method::kAllocate));
  ASSERT_TRUE(first.refresh(0).is_success(Method::kRefresh));
  EXPECT_EQ(h.quota.total(), 0u);
  TestClient second(h, "192.0.2.10:40001");
  EXPECT_TRUE(second.allocate().is_success(Method::kAllocate));
}

TEST(ServerQuota, ReleasedByExpiry) {
  Harness h({.user_quota = 1});
  TestClient first(h, "192.0.2.10:40000");
  ASSERT_TRUE(first.allocate().is_success(Method::kAllocate));
  h.advance(601);
  h.server.expire();
  EXPECT_EQ(h.quota.total(), 0u);
  TestClient second(h, "192.0.2.10:40001");
  EXPECT_TRUE(second.allocate().is_success(Method::kAllocate));
}

TEST(ServerQuota, ReleasedWhenTheLinkCloses) {
  Harness h({.total_quota = 1});
  TestClient first(h, "192.0.2.10:40000", "alice", "alice-pass", ClientTransport::kTcp);
  ASSERT_TRUE(first.allocate().is_success(Method::kAllocate));
  h.server.on_link_closed(first.tuple());
  EXPECT_EQ(h.quota.total(), 0u);
  TestClient second(h, "192.0.2.10:40001", "bob", "bob-pass");
  EXPECT_TRUE(second.allocate().is_success(Method::kAllocate));
}

TEST(ServerQuota, ReleasedWhenTheServerGoesAway) {
  Harness h({.total_quota = 5});
  TestClient client(h, "192.0.2.10:40000");
  client.learn_nonce();  // nonces are stateless: any Server sharing the issuer accepts it
  auto server = std::make_unique<Server>(ServerDeps{h.clock, h.relays, h.quota}, h.snapshot);
  FakeLink link;
  ByteVector request = client.build(Method::kAllocate, [](stun::MessageBuilder& b) {
    stun::RequestedTransport{stun::kTransportUdp}.add_to(b);
  });
  server->on_client_packet(client.tuple(), link, request);
  ASSERT_EQ(link.log()->sent.size(), 1u);
  EXPECT_TRUE(Message(link.log()->sent[0]).is_success(Method::kAllocate));
  EXPECT_EQ(h.quota.total(), 1u);
  server.reset();
  EXPECT_EQ(h.quota.total(), 0u);
  EXPECT_EQ(h.relays.open_count(), 0u);
}

}  // namespace
}  // namespace turnd::turn::test

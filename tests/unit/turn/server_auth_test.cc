// turn::Server: Binding, long-term credentials and REST API credentials
// (RFC 8489 §9.2), message checks (RFC 8489 §6.3: FINGERPRINT, unknown
// attributes, attributes after MESSAGE-INTEGRITY, malformed messages).
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>

#include "tests/unit/turn/stun_client.h"
#include "turnd/stun/attr/requested_transport.h"

namespace turnd::turn::test {
namespace {

using stun::Method;
namespace attr = stun::attr;
namespace error = stun::error;

constexpr uint16_t kUnknownRequired = 0x7F01;
constexpr uint16_t kOtherUnknownRequired = 0x0030;
constexpr uint16_t kUnknownOptional = 0xC001;

void add_udp_transport(stun::MessageBuilder& b) {
  stun::RequestedTransport{stun::kTransportUdp}.add_to(b);
}

Attrs with_attribute(uint16_t type) {
  return [type](stun::MessageBuilder& b) { b.add_u32(type, 0x01020304); };
}

// ---------------------------------------------------------------------------
// Binding (RFC 8489 §3): answered without credentials.

TEST(ServerBinding, AnswersWithXorMappedAddress) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ByteVector request = client.build(Method::kBinding, {}, {.sign = false});
  Message response = client.transact(request);
  ASSERT_TRUE(response.is_success(Method::kBinding)) << response;
  EXPECT_EQ(response.transaction_id(), Message(request).transaction_id());
  EXPECT_EQ(response.xor_address(attr::kXorMappedAddress), addr("192.0.2.10:40000"));
  EXPECT_FALSE(response.has(attr::kMessageIntegrity));
  EXPECT_FALSE(response.has(attr::kFingerprint));
  EXPECT_FALSE(response.has(attr::kSoftware));
  EXPECT_EQ(h.metrics().binding_requests.get(), 1u);
  EXPECT_EQ(h.metrics().binding_responses.get(), 1u);
}

TEST(ServerBinding, AnswersIPv6ClientsOverTcp) {
  Harness h;
  TestClient client(
      h, make_tuple("[2001:db8::10]:40001", ClientTransport::kTcp, "[2001:db8::1]:3478"));
  Message response = client.request(Method::kBinding, {}, {.sign = false});
  ASSERT_TRUE(response.is_success(Method::kBinding)) << response;
  EXPECT_EQ(response.xor_address(attr::kXorMappedAddress), addr("[2001:db8::10]:40001"));
}

TEST(ServerBinding, NoStunIgnoresBinding) {
  Harness h({.server = {.no_stun = true}});
  TestClient client(h, "192.0.2.10:40000");
  EXPECT_TRUE(client.send_raw(client.build(Method::kBinding, {}, {.sign = false})).empty());
  EXPECT_EQ(h.metrics().binding_requests.get(), 0u);
  EXPECT_EQ(h.metrics().binding_responses.get(), 0u);
}

TEST(ServerBinding, SoftwareOptionAddsSoftware) {
  Harness h({.server = {.software = true}});
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.request(Method::kBinding, {}, {.sign = false});
  ASSERT_TRUE(response.is_success(Method::kBinding)) << response;
  EXPECT_EQ(response.text(attr::kSoftware), "turnd");
}

// ---------------------------------------------------------------------------
// FINGERPRINT (RFC 8489 §7, §14.7).

TEST(ServerFingerprint, AddedWhenTheRequestHadOne) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message binding = client.request(Method::kBinding, {}, {.sign = false, .fingerprint = true});
  ASSERT_TRUE(binding.is_success(Method::kBinding)) << binding;
  EXPECT_TRUE(binding.has(attr::kFingerprint));
  EXPECT_TRUE(binding.fingerprint_ok());

  Message allocate = client.allocate({}, {.fingerprint = true});
  ASSERT_TRUE(allocate.is_success(Method::kAllocate)) << allocate;
  EXPECT_TRUE(allocate.fingerprint_ok());
  EXPECT_TRUE(allocate.integrity_ok(client.mac(), client.key()));  // MI comes before FINGERPRINT
}

TEST(ServerFingerprint, AbsentWhenNeitherAskedNorConfigured) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate();
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_FALSE(response.has(attr::kFingerprint));
}

TEST(ServerFingerprint, OptionAddsItToEveryResponse) {
  Harness h({.server = {.fingerprint = true}});
  TestClient client(h, "192.0.2.10:40000");
  Message challenge =
      client.transact(client.build(Method::kAllocate, add_udp_transport, {.sign = false}));
  EXPECT_EQ(challenge.error_code(), error::kUnauthenticated);
  EXPECT_TRUE(challenge.fingerprint_ok());
  Message binding = client.request(Method::kBinding, {}, {.sign = false});
  EXPECT_TRUE(binding.fingerprint_ok());
}

// RFC 8489 §6.3: "If the FINGERPRINT extension is being used, the agent checks
// that the FINGERPRINT attribute is present and contains the correct value. If
// any errors are detected, the message is silently discarded."
TEST(ServerFingerprint, WrongFingerprintIsSilentlyDiscarded) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ByteVector request = client.build(Method::kBinding, {}, {.sign = false, .fingerprint = true});
  request.back() ^= std::byte{0x01};
  EXPECT_TRUE(client.send_raw(request).empty());
  EXPECT_EQ(h.metrics().binding_responses.get(), 0u);
}

// ---------------------------------------------------------------------------
// Long-term credentials (RFC 8489 §9.2.4).

TEST(ServerAuth, UnsignedRequestIsChallengedWithRealmAndNonce) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ByteVector request = client.build(Method::kAllocate, add_udp_transport, {.sign = false});
  Message response = client.transact(request);
  ASSERT_TRUE(response.is_error(Method::kAllocate)) << response;
  EXPECT_EQ(response.error_code(), error::kUnauthenticated);
  EXPECT_EQ(response.transaction_id(), Message(request).transaction_id());
  EXPECT_EQ(response.text(attr::kRealm), kRealm);
  EXPECT_EQ(response.text(attr::kNonce).size(), auth::NonceIssuer::kNonceLength);
  EXPECT_FALSE(response.has(attr::kMessageIntegrity));
  EXPECT_FALSE(response.has(attr::kMessageIntegritySha256));
  EXPECT_EQ(h.server.allocation_count(), 0u);
  EXPECT_TRUE(h.relays.requests.empty());
}

TEST(ServerAuth, WrongPasswordIs401) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000", "alice", "not-alice-pass");
  Message response = client.allocate();
  ASSERT_TRUE(response.is_error(Method::kAllocate)) << response;
  EXPECT_EQ(response.error_code(), error::kUnauthenticated);
  EXPECT_EQ(response.text(attr::kRealm), kRealm);
  EXPECT_FALSE(response.text(attr::kNonce).empty());
  EXPECT_FALSE(response.has(attr::kMessageIntegrity));
  EXPECT_EQ(h.metrics().auth_failures.get(), 1u);
  EXPECT_EQ(h.server.auth_failures(*SocketAddress::parse("192.0.2.10:1"), "alice"), 1u);
  EXPECT_EQ(h.server.auth_failures(*SocketAddress::parse("192.0.2.11"), "alice"), 0u);
  EXPECT_EQ(h.server.auth_failures(*SocketAddress::parse("192.0.2.10"), "bob"), 0u);
  EXPECT_EQ(h.server.allocation_count(), 0u);
  EXPECT_TRUE(h.relays.requests.empty());
}

// Guessing alice's password from one address: 5 tries are checked, then the
// pair waits 1 s, 2 s, 4 s ... and its requests (even with the right
// password) are answered 401 unchecked until the wait is over; alice
// elsewhere, and bob from the same address, are not slowed at all.
TEST(ServerAuth, WrongPasswordsMakeThatAddressAndUserWait) {
  Harness h;
  TestClient guesser(h, "192.0.2.66:40000", "alice", "guess");
  for (int i = 0; i < 6; ++i) {
    Message response = guesser.allocate();
    ASSERT_EQ(response.error_code(), error::kUnauthenticated) << i;
  }
  // The 6th failure started a wait of 1 s: answered 401, nothing checked.
  EXPECT_EQ(guesser.allocate().error_code(), error::kUnauthenticated);
  guesser.password = "alice-pass";  // not even the right password, from here, now
  EXPECT_EQ(guesser.allocate().error_code(), error::kUnauthenticated);
  EXPECT_EQ(h.metrics().auth_throttled.get(), 2u);
  EXPECT_EQ(h.metrics().auth_failures.get(), 6u);  // the unchecked ones are not failures

  TestClient alice(h, "198.51.100.7:40000", "alice", "alice-pass");  // elsewhere
  EXPECT_TRUE(alice.allocate().is_success(Method::kAllocate));
  TestClient bob(h, "192.0.2.66:40001", "bob", "bob-pass");  // same address, other user
  EXPECT_TRUE(bob.allocate().is_success(Method::kAllocate));

  h.advance(1);  // the wait is over: one more try, which fails and waits 2 s
  guesser.password = "guess";
  EXPECT_EQ(guesser.allocate().error_code(), error::kUnauthenticated);
  h.advance(1);
  guesser.password = "alice-pass";
  EXPECT_EQ(guesser.allocate().error_code(), error::kUnauthenticated);  // still waiting
  h.advance(1);  // 2 s: the right password is checked, and clears the count
  guesser.password = "alice-pass";
  EXPECT_TRUE(guesser.allocate().is_success(Method::kAllocate));
  EXPECT_EQ(h.server.auth_failures(*SocketAddress::parse("192.0.2.66"), "alice"), 0u);
}

// Failures without a valid nonce (a forged source has never seen one) are
// not counted: nobody can make a victim's address wait.
TEST(ServerAuth, OnlyFailuresWithAValidNonceCount) {
  Harness h;
  TestClient forger(h, "192.0.2.10:40000", "alice", "guess");
  forger.nonce = "obviously-not-a-nonce-of-this-server";
  forger.realm = kRealm;
  forger.retry_stale_nonce = false;
  for (int i = 0; i < 20; ++i) {
    Message response = forger.transact(forger.build(Method::kAllocate, add_udp_transport));
    EXPECT_EQ(response.error_code(), error::kStaleNonce);
    forger.nonce = "obviously-not-a-nonce-of-this-server";
  }
  EXPECT_EQ(h.server.auth_failures(*SocketAddress::parse("192.0.2.10"), "alice"), 0u);
  TestClient alice(h, "192.0.2.10:40001", "alice", "alice-pass");
  EXPECT_TRUE(alice.allocate().is_success(Method::kAllocate));
}

TEST(ServerAuth, UnknownUserIs401) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000", "mallory", "alice-pass");
  Message response = client.allocate();
  EXPECT_EQ(response.error_code(), error::kUnauthenticated) << response;
  EXPECT_EQ(response.text(attr::kRealm), kRealm);
  EXPECT_FALSE(response.has(attr::kMessageIntegrity));
  EXPECT_EQ(h.metrics().auth_failures.get(), 1u);
  EXPECT_EQ(h.server.allocation_count(), 0u);
}

TEST(ServerAuth, StaleNonceIs438WithFreshNonce) {
  Harness h;  // nonces live 600 s
  TestClient client(h, "192.0.2.10:40000");
  client.retry_stale_nonce = false;
  client.learn_nonce();
  std::string old_nonce = client.nonce;
  h.advance(601);
  Message response = client.allocate();
  ASSERT_TRUE(response.is_error(Method::kAllocate)) << response;
  EXPECT_EQ(response.error_code(), error::kStaleNonce);
  EXPECT_EQ(response.text(attr::kRealm), kRealm);
  std::string fresh = response.text(attr::kNonce);
  EXPECT_EQ(fresh.size(), auth::NonceIssuer::kNonceLength);
  EXPECT_NE(fresh, old_nonce);
  EXPECT_FALSE(response.has(attr::kMessageIntegrity));
  EXPECT_EQ(h.metrics().stale_nonces.get(), 1u);
  EXPECT_EQ(h.server.allocation_count(), 0u);

  // The fresh nonce works.
  EXPECT_EQ(client.nonce, fresh);
  EXPECT_TRUE(client.allocate().is_success(Method::kAllocate));
}

TEST(ServerAuth, NonceIsValidUntilItsLifetimeEnds) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  client.retry_stale_nonce = false;
  client.learn_nonce();
  h.advance(600);
  Message response = client.allocate();
  EXPECT_TRUE(response.is_success(Method::kAllocate)) << response;
}

TEST(ServerAuth, NonceIssuedToAnotherClientIs438) {
  Harness h;
  TestClient a(h, "192.0.2.10:40000");
  TestClient b(h, "192.0.2.20:40000");
  a.learn_nonce();
  b.realm = a.realm;
  b.nonce = a.nonce;
  b.retry_stale_nonce = false;
  Message response = b.allocate();
  EXPECT_EQ(response.error_code(), error::kStaleNonce) << response;
  EXPECT_NE(response.text(attr::kNonce), a.nonce);
  EXPECT_EQ(h.server.allocation_count(), 0u);
}

TEST(ServerAuth, IntegrityWithoutUsernameRealmOrNonceIs400) {
  for (const RequestOptions& options :
       {RequestOptions{.with_username = false}, RequestOptions{.with_realm = false},
        RequestOptions{.with_nonce = false}}) {
    Harness h;
    TestClient client(h, "192.0.2.10:40000");
    Message response = client.allocate({}, options);
    ASSERT_TRUE(response.is_error(Method::kAllocate)) << response;
    EXPECT_EQ(response.error_code(), error::kBadRequest);
    EXPECT_FALSE(response.has(attr::kMessageIntegrity));
    EXPECT_EQ(h.server.allocation_count(), 0u);
  }
}

TEST(ServerAuth, SuccessIsSignedWithTheUsersKey) {
  Harness h;
  TestClient alice(h, "192.0.2.10:40000");
  Message response = alice.allocate();
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_TRUE(response.integrity_ok(alice.mac(), alice.key()));
  EXPECT_FALSE(response.integrity_ok(alice.mac(), alice.key("bob-pass")));
}

TEST(ServerAuth, ErrorAfterAuthenticationIsSigned) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.request(Method::kAllocate, [](stun::MessageBuilder& b) {
    stun::RequestedTransport{stun::kTransportTcp}.add_to(b);
  });
  EXPECT_EQ(response.error_code(), error::kUnsupportedTransportProtocol) << response;
  EXPECT_TRUE(response.integrity_ok(client.mac(), client.key()));
}

TEST(ServerAuth, OtherUserOnTheSameFiveTupleIs441) {
  Harness h;
  TestClient alice(h, "192.0.2.10:40000");
  ASSERT_TRUE(alice.allocate().is_success(Method::kAllocate));
  TestClient bob(h, alice.tuple(), "bob", "bob-pass");
  EXPECT_EQ(bob.refresh(0).error_code(), error::kWrongCredentials);
  EXPECT_EQ(bob.create_permission({addr(kPeerA)}).error_code(), error::kWrongCredentials);
  EXPECT_EQ(bob.channel_bind(0x4000, addr(kPeerA)).error_code(), error::kWrongCredentials);
  EXPECT_EQ(bob.allocate().error_code(), error::kWrongCredentials);
  ASSERT_NE(alice.allocation(), nullptr);
  EXPECT_EQ(alice.allocation()->username(), "alice");
  EXPECT_EQ(alice.allocation()->permission_count(), 0u);
  EXPECT_EQ(alice.allocation()->channel_count(), 0u);
}

TEST(ServerAuth, NoAuthModeServesUnsignedRequests) {
  Harness h({.long_term = false});
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate({}, {.sign = false});
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_FALSE(response.has(attr::kMessageIntegrity));
  EXPECT_EQ(h.server.allocation_count(), 1u);
}

// ---------------------------------------------------------------------------
// TURN REST API credentials: "<expiry>:<user>" with
// password = base64(HMAC-SHA1(secret, username)).

void use_rest_credentials(TestClient& client, int64_t expiry, std::string_view secret) {
  client.username = std::to_string(expiry) + ":carol";
  client.password = auth::Authenticator::rest_password(client.mac(), secret, client.username);
}

TEST(ServerRestAuth, ValidCredentialsAreAccepted) {
  Harness h({.long_term = false, .secrets = {"s3cret"}});
  TestClient client(h, "192.0.2.10:40000");
  use_rest_credentials(client, h.clock.unix_seconds() + 3600, "s3cret");
  Message response = client.allocate();
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;
  EXPECT_TRUE(response.integrity_ok(client.mac(), client.key()));
  ASSERT_NE(client.allocation(), nullptr);
  EXPECT_EQ(client.allocation()->username(), client.username);
}

TEST(ServerRestAuth, ExpiredCredentialsAre401) {
  Harness h({.long_term = false, .secrets = {"s3cret"}});
  TestClient client(h, "192.0.2.10:40000");
  use_rest_credentials(client, h.clock.unix_seconds() - 1, "s3cret");
  Message response = client.allocate();
  EXPECT_EQ(response.error_code(), error::kUnauthenticated) << response;
  EXPECT_FALSE(response.has(attr::kMessageIntegrity));
  EXPECT_EQ(h.metrics().auth_failures.get(), 1u);
  EXPECT_EQ(h.server.allocation_count(), 0u);
}

TEST(ServerRestAuth, CredentialsExpireWithTheClock) {
  Harness h({.long_term = false, .secrets = {"s3cret"}});
  TestClient client(h, "192.0.2.10:40000");
  use_rest_credentials(client, h.clock.unix_seconds() + 100, "s3cret");
  h.advance(101);
  EXPECT_EQ(client.allocate().error_code(), error::kUnauthenticated);
}

TEST(ServerRestAuth, EverySecretIsAcceptedDuringRotation) {
  Harness h({.long_term = false, .secrets = {"old-secret", "new-secret"}});
  TestClient with_new(h, "192.0.2.10:40000");
  use_rest_credentials(with_new, h.clock.unix_seconds() + 3600, "new-secret");
  EXPECT_TRUE(with_new.allocate().is_success(Method::kAllocate));

  TestClient with_old(h, "192.0.2.10:40001");
  use_rest_credentials(with_old, h.clock.unix_seconds() + 3600, "old-secret");
  EXPECT_TRUE(with_old.allocate().is_success(Method::kAllocate));

  TestClient with_other(h, "192.0.2.10:40002");
  use_rest_credentials(with_other, h.clock.unix_seconds() + 3600, "retired-secret");
  EXPECT_EQ(with_other.allocate().error_code(), error::kUnauthenticated);
  EXPECT_EQ(h.server.allocation_count(), 2u);
}

// ---------------------------------------------------------------------------
// Unknown attributes (RFC 8489 §6.3, §14.13) and attributes after
// MESSAGE-INTEGRITY (RFC 8489 §9).

TEST(ServerAttributes, UnknownComprehensionRequiredIs420WithUnknownAttributes) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.request(Method::kBinding,
                                    [](stun::MessageBuilder& b) {
                                      b.add_u32(kUnknownRequired, 1);
                                      b.add_u32(kUnknownOptional, 2);
                                      b.add_u32(kOtherUnknownRequired, 3);
                                    },
                                    {.sign = false});
  ASSERT_TRUE(response.is_error(Method::kBinding)) << response;
  EXPECT_EQ(response.error_code(), error::kUnknownAttribute);
  EXPECT_EQ(response.unknown_attributes(),
            (std::vector<uint16_t>{kUnknownRequired, kOtherUnknownRequired}));
  EXPECT_EQ(h.metrics().binding_responses.get(), 0u);
}

TEST(ServerAttributes, UnknownComprehensionRequiredInAllocateIs420) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate(with_attribute(kUnknownRequired));
  ASSERT_TRUE(response.is_error(Method::kAllocate)) << response;
  EXPECT_EQ(response.error_code(), error::kUnknownAttribute);
  EXPECT_EQ(response.unknown_attributes(), std::vector<uint16_t>{kUnknownRequired});
  EXPECT_EQ(h.server.allocation_count(), 0u);
}

// RFC 8489 §6.3: "Once the authentication checks are done, the STUN agent
// checks for unknown attributes", and §9.2.4: once they pass, "any response
// generated by the server ... MUST include the MESSAGE-INTEGRITY attribute".
TEST(ServerAttributes, UnknownAttributesAreCheckedAfterAuthentication) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message unsigned_response = client.transact(client.build(Method::kAllocate,
                                                           [](stun::MessageBuilder& b) {
                                                             add_udp_transport(b);
                                                             b.add_u32(kUnknownRequired, 1);
                                                           },
                                                           {.sign = false}));
  EXPECT_EQ(unsigned_response.error_code(), error::kUnauthenticated) << unsigned_response;

  Message signed_response = client.allocate(with_attribute(kUnknownRequired));
  EXPECT_EQ(signed_response.error_code(), error::kUnknownAttribute) << signed_response;
  EXPECT_TRUE(signed_response.integrity_ok(client.mac(), client.key()));
}

TEST(ServerAttributes, ComprehensionOptionalUnknownIsIgnored) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message binding =
      client.request(Method::kBinding, with_attribute(kUnknownOptional), {.sign = false});
  EXPECT_TRUE(binding.is_success(Method::kBinding)) << binding;
  Message allocate = client.allocate(with_attribute(kUnknownOptional));
  EXPECT_TRUE(allocate.is_success(Method::kAllocate)) << allocate;
}

TEST(ServerAttributes, AttributesAfterIntegrityAreIgnored) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.allocate({}, {.after_integrity = [](stun::MessageBuilder& b) {
                                       b.add_u32(kUnknownRequired, 1);
                                       stun::Lifetime{1800}.add_to(b);
                                     }});
  ASSERT_TRUE(response.is_success(Method::kAllocate)) << response;  // no 420
  EXPECT_EQ(response.lifetime(), 600u);                             // LIFETIME 1800 ignored
}

TEST(ServerAttributes, RequestedTransportAfterIntegrityDoesNotCount) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  Message response = client.request(Method::kAllocate, {}, {.after_integrity = add_udp_transport});
  EXPECT_EQ(response.error_code(), error::kBadRequest) << response;
  EXPECT_EQ(h.server.allocation_count(), 0u);
}

// ---------------------------------------------------------------------------
// Malformed input.

TEST(ServerMalformed, GarbageIsCountedAndNotAnswered) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ByteVector stun_bad_length = client.build(Method::kBinding, {}, {.sign = false});
  store_be16(stun_bad_length.data() + 2, 8);  // claims attributes it does not have
  std::vector<ByteVector> inputs = {
      ByteVector(32, std::byte{0xFF}),
      ByteVector{std::byte{0x00}, std::byte{0x01}, std::byte{0x00}},
      ByteVector{},
      stun_bad_length,
  };
  for (auto& input : inputs) EXPECT_TRUE(client.send_raw(input).empty());
  EXPECT_EQ(h.metrics().malformed_packets.get(), inputs.size());
  EXPECT_EQ(h.metrics().error_responses.get(), 0u);
}

TEST(ServerMalformed, ResponsesSentToTheServerAreDropped) {
  Harness h;
  TestClient client(h, "192.0.2.10:40000");
  ByteVector buffer(64);
  auto id = h.next_transaction_id();
  stun::MessageBuilder b(buffer, Method::kBinding, stun::MessageClass::kSuccessResponse, id.bytes);
  buffer.resize(b.size());
  EXPECT_TRUE(client.send_raw(buffer).empty());
  EXPECT_EQ(h.metrics().dropped_packets.get(), 1u);
}

// A STUN header whose attributes run past the end of the message.
ByteVector broken_attribute_message(Method method, stun::MessageClass cls) {
  ByteVector m(stun::kHeaderSize + 8);
  store_be16(m.data(), stun::encode_type(static_cast<uint16_t>(method), cls));
  store_be16(m.data() + 2, 8);
  store_be32(m.data() + 4, stun::kMagicCookie);
  for (size_t i = 8; i < 20; ++i) m[i] = static_cast<std::byte>(i);
  store_be16(m.data() + 20, attr::kSoftware);
  store_be16(m.data() + 22, 100);  // 100 bytes claimed, 4 present
  return m;
}

// Runs `scenario` in a child process, so that a crash fails this test instead
// of taking the whole test binary down. The scenario reports on stderr.
void expect_in_child(const std::function<bool()>& scenario) {
  EXPECT_EXIT(std::exit(scenario() ? 0 : 1), ::testing::ExitedWithCode(0), "");
}

TEST(ServerMalformedDeathTest, RequestWithBrokenAttributeIs400) {
  expect_in_child([] {
    Harness h;
    TestClient client(h, "192.0.2.10:40000");
    ByteVector request = broken_attribute_message(Method::kAllocate, stun::MessageClass::kRequest);
    auto got = client.send_raw(request);
    if (got.size() != 1) {
      std::cerr << "expected one response, got " << got.size() << "\n";
      return false;
    }
    Message response(got.front());
    bool ok =
        response.is_error(Method::kAllocate) && response.error_code() == error::kBadRequest &&
        response.transaction_id() ==
            stun::TransactionId{{std::byte{8}, std::byte{9}, std::byte{10}, std::byte{11},
                                 std::byte{12}, std::byte{13}, std::byte{14}, std::byte{15},
                                 std::byte{16}, std::byte{17}, std::byte{18}, std::byte{19}}} &&
        h.metrics().malformed_packets.get() == 1;
    if (!ok) std::cerr << "got " << response.summary() << "\n";
    return ok;
  });
}

TEST(ServerMalformedDeathTest, IndicationWithBrokenAttributeIsCountedNotAnswered) {
  expect_in_child([] {
    Harness h;
    TestClient client(h, "192.0.2.10:40000");
    auto got =
        client.send_raw(broken_attribute_message(Method::kSend, stun::MessageClass::kIndication));
    bool ok = got.empty() && h.metrics().malformed_packets.get() == 1;
    if (!ok) std::cerr << "responses " << got.size() << "\n";
    return ok;
  });
}

}  // namespace
}  // namespace turnd::turn::test

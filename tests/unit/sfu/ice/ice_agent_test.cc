// IceAgent: answers to browser-like checks (success, 400, 401, 420, 487,
// silent drops), nomination and switching, consent freshness on a
// ManualClock, and the path table.
#include "sfu/ice/ice_agent.h"

#include <gtest/gtest.h>

#include <array>

#include "tests/unit/sfu/ice/check_builder.h"
#include "turnd/stun/attr/unknown_attributes.h"
#include "turnd/stun/attr/xor_mapped_address.h"

namespace turnd::sfu::ice {
namespace {

using test::Check;
using test::Reply;

constexpr const char* kRemoteUfrag = "brws";

class IceAgentTest : public ::testing::Test {
 protected:
  IceAgentConfig config() {
    IceAgentConfig c;
    c.local = IceCredentials::generate();
    return c;
  }

  // A check signed the way a browser would sign it for agent_.
  Check check(bool use_candidate = false) {
    Check c;
    c.username = agent_.local_credentials().ufrag + ":" + kRemoteUfrag;
    c.pwd = agent_.local_credentials().pwd;
    c.use_candidate = use_candidate;
    c.id = ++next_id_;
    return c;
  }

  StunOutcome send(const Check& c, const Path& from) {
    auto packet = test::build(c, mac_);
    last_outcome_ = agent_.handle_stun(packet, from, reply_);
    return last_outcome_;
  }
  Bytes last_reply() const { return Bytes(reply_.data(), last_outcome_.reply_size); }

  static Path path(const char* address, uint32_t socket = 0) {
    return Path{*SocketAddress::parse(address), socket};
  }

  ManualClock clock_;
  stun::MacContext mac_;
  IceAgent agent_{config(), clock_, mac_};
  std::array<std::byte, 1280> reply_{};
  StunOutcome last_outcome_;
  uint8_t next_id_ = 0;
};

TEST_F(IceAgentTest, ValidCheckGetsSignedSuccessWithMappedAddress) {
  Path from = path("198.51.100.7:54321");
  StunOutcome out = send(check(), from);
  EXPECT_EQ(out.result, CheckResult::kAccepted);
  EXPECT_TRUE(out.new_path);
  EXPECT_TRUE(out.state_changed);
  EXPECT_FALSE(out.selected_changed);
  EXPECT_EQ(agent_.state(), IceState::kChecking);
  EXPECT_EQ(agent_.selected(), nullptr);
  EXPECT_TRUE(agent_.knows(from));

  Reply reply(last_reply());
  ASSERT_TRUE(reply.is_success());
  stun::XorMappedAddress mapped;
  ASSERT_EQ(stun::XorMappedAddress::get_from(reply.view, mapped), stun::DecodeStatus::kOk);
  EXPECT_EQ(mapped.address, from.remote);
  EXPECT_TRUE(reply.signed_with(mac_, agent_.local_credentials().pwd));
  EXPECT_FALSE(reply.signed_with(mac_, "not-the-password-at-all"));
  EXPECT_TRUE(stun::verify_fingerprint(reply.view));
}

TEST_F(IceAgentTest, ReplyEchoesTheTransactionIdAndMapsIPv6) {
  Check c = check();
  auto packet = test::build(c, mac_);
  Path from = path("[2001:db8::5]:40000", 3);
  StunOutcome out = agent_.handle_stun(packet, from, reply_);
  Reply reply(Bytes(reply_.data(), out.reply_size));
  ASSERT_TRUE(reply.is_success());
  EXPECT_TRUE(std::equal(packet.begin() + 8, packet.begin() + 20, reply.bytes.begin() + 8));
  stun::XorMappedAddress mapped;
  ASSERT_EQ(stun::XorMappedAddress::get_from(reply.view, mapped), stun::DecodeStatus::kOk);
  EXPECT_EQ(mapped.address.to_string(), "[2001:db8::5]:40000");
}

TEST_F(IceAgentTest, WrongPasswordIsAnUnsigned401) {
  Check c = check();
  c.pwd = "0123456789012345678901234";
  StunOutcome out = send(c, path("198.51.100.7:1"));
  EXPECT_EQ(out.result, CheckResult::kUnauthenticated);
  Reply reply(last_reply());
  EXPECT_EQ(reply.error_code(), 401);
  EXPECT_EQ(reply.view.integrity_offset(), 0u);  // RFC 8489 §9.1.3: no MESSAGE-INTEGRITY
  EXPECT_TRUE(stun::verify_fingerprint(reply.view));
  EXPECT_EQ(agent_.state(), IceState::kNew);
  EXPECT_FALSE(agent_.knows(path("198.51.100.7:1")));
}

TEST_F(IceAgentTest, WrongUsernameIs401) {
  Check other_ufrag = check();
  other_ufrag.username = "zzzzzzzz:" + std::string(kRemoteUfrag);
  EXPECT_EQ(send(other_ufrag, path("198.51.100.7:1")).result, CheckResult::kUnauthenticated);

  Check no_colon = check();
  no_colon.username = agent_.local_credentials().ufrag;
  EXPECT_EQ(send(no_colon, path("198.51.100.7:1")).result, CheckResult::kUnauthenticated);
}

TEST_F(IceAgentTest, RemoteUfragIsCheckedOnceKnown) {
  Check c = check();
  c.username = agent_.local_credentials().ufrag + ":someoneelse";
  EXPECT_EQ(send(c, path("198.51.100.7:1")).result, CheckResult::kAccepted);  // not known yet

  agent_.set_remote_ufrag(kRemoteUfrag);
  c.id = ++next_id_;
  EXPECT_EQ(send(c, path("198.51.100.7:1")).result, CheckResult::kUnauthenticated);
  EXPECT_EQ(send(check(), path("198.51.100.7:1")).result, CheckResult::kAccepted);
}

TEST_F(IceAgentTest, MissingUsernameOrIntegrityIs400) {
  Check no_username = check();
  no_username.with_username = false;
  StunOutcome out = send(no_username, path("198.51.100.7:1"));
  EXPECT_EQ(out.result, CheckResult::kBadRequest);
  Reply reply(last_reply());
  EXPECT_EQ(reply.error_code(), 400);
  EXPECT_EQ(reply.view.integrity_offset(), 0u);

  Check no_integrity = check();
  no_integrity.with_integrity = false;
  EXPECT_EQ(send(no_integrity, path("198.51.100.7:1")).result, CheckResult::kBadRequest);
  EXPECT_EQ(agent_.state(), IceState::kNew);
}

TEST_F(IceAgentTest, MissingOrWrongFingerprintIsDroppedSilently) {
  Check no_fingerprint = check();
  no_fingerprint.with_fingerprint = false;
  StunOutcome out = send(no_fingerprint, path("198.51.100.7:1"));
  EXPECT_EQ(out.result, CheckResult::kDropped);
  EXPECT_EQ(out.reply_size, 0u);

  auto packet = test::build(check(), mac_);
  packet.back() ^= std::byte{1};
  out = agent_.handle_stun(packet, path("198.51.100.7:1"), reply_);
  EXPECT_EQ(out.result, CheckResult::kDropped);
  EXPECT_EQ(out.reply_size, 0u);
  EXPECT_EQ(agent_.state(), IceState::kNew);
}

TEST_F(IceAgentTest, PeerClaimingControlledGetsSigned487) {
  Check c = check(true);
  c.controlling = false;
  c.controlled = true;
  StunOutcome out = send(c, path("198.51.100.7:1"));
  EXPECT_EQ(out.result, CheckResult::kRoleConflict);
  Reply reply(last_reply());
  EXPECT_EQ(reply.error_code(), 487);
  EXPECT_TRUE(reply.signed_with(mac_, agent_.local_credentials().pwd));
  EXPECT_TRUE(stun::verify_fingerprint(reply.view));
  // The check neither counts for consent nor nominates.
  EXPECT_EQ(agent_.state(), IceState::kNew);
  EXPECT_EQ(agent_.selected(), nullptr);
}

TEST_F(IceAgentTest, PeerWithoutRoleAttributeIsAccepted) {
  Check c = check(true);
  c.controlling = false;
  EXPECT_EQ(send(c, path("198.51.100.7:1")).result, CheckResult::kAccepted);
  EXPECT_EQ(agent_.state(), IceState::kConnected);
}

TEST_F(IceAgentTest, UnknownComprehensionRequiredAttributeIs420) {
  Check c = check();
  c.extra_attribute = 0x7F01;
  StunOutcome out = send(c, path("198.51.100.7:1"));
  EXPECT_EQ(out.result, CheckResult::kUnknownAttribute);
  Reply reply(last_reply());
  EXPECT_EQ(reply.error_code(), 420);
  stun::UnknownAttributes unknown;
  ASSERT_EQ(stun::UnknownAttributes::get_from(reply.view, unknown), stun::DecodeStatus::kOk);
  ASSERT_EQ(unknown.count, 1u);
  EXPECT_EQ(unknown.types[0], 0x7F01);
  EXPECT_TRUE(reply.signed_with(mac_, agent_.local_credentials().pwd));

  Check optional = check();
  optional.extra_attribute = 0xC057;  // GOOG-NETWORK-INFO style: comprehension-optional
  EXPECT_EQ(send(optional, path("198.51.100.7:1")).result, CheckResult::kAccepted);
}

TEST_F(IceAgentTest, MalformedPriorityIsSigned400) {
  Check c = check();
  auto packet = test::build(c, mac_);
  // Rebuild with an 8-byte PRIORITY.
  std::array<std::byte, 512> buffer{};
  stun::MessageView original;
  ASSERT_EQ(stun::MessageView::parse(packet, original), stun::ParseResult::kOk);
  stun::MessageBuilder b(buffer, stun::Method::kBinding, stun::MessageClass::kRequest,
                         original.transaction_id());
  stun::Username{as_bytes(c.username)}.add_to(b);
  std::array<std::byte, 8> eight{};
  b.add(stun::attr::kPriority, eight);
  b.add_message_integrity(mac_, as_bytes(c.pwd));
  b.add_fingerprint();
  StunOutcome out = agent_.handle_stun(b.bytes(), path("198.51.100.7:1"), reply_);
  EXPECT_EQ(out.result, CheckResult::kBadRequest);
  Reply reply(Bytes(reply_.data(), out.reply_size));
  EXPECT_EQ(reply.error_code(), 400);
  EXPECT_TRUE(reply.signed_with(mac_, agent_.local_credentials().pwd));
}

TEST_F(IceAgentTest, IndicationsAndResponsesGetNoAnswer) {
  Check indication = check();
  indication.cls = stun::MessageClass::kIndication;
  StunOutcome out = send(indication, path("198.51.100.7:1"));
  EXPECT_EQ(out.result, CheckResult::kIndication);
  EXPECT_EQ(out.reply_size, 0u);

  Check response = check();
  response.cls = stun::MessageClass::kSuccessResponse;
  out = send(response, path("198.51.100.7:1"));
  EXPECT_EQ(out.result, CheckResult::kDropped);
  EXPECT_EQ(agent_.state(), IceState::kNew);

  std::array<std::byte, 4> garbage{std::byte{0x80}, std::byte{1}, std::byte{2}, std::byte{3}};
  EXPECT_EQ(agent_.handle_stun(garbage, path("198.51.100.7:1"), reply_).result,
            CheckResult::kDropped);
}

TEST_F(IceAgentTest, NominationSelectsAndALaterNominationSwitches) {
  Path relay = path("203.0.113.9:3478", 1);
  Path host = path("192.168.1.20:50000", 0);

  StunOutcome out = send(check(true), relay);
  EXPECT_TRUE(out.selected_changed);
  EXPECT_TRUE(out.state_changed);
  EXPECT_EQ(agent_.state(), IceState::kConnected);
  ASSERT_NE(agent_.selected(), nullptr);
  EXPECT_EQ(*agent_.selected(), relay);

  // A check on another path without USE-CANDIDATE does not move media.
  out = send(check(false), host);
  EXPECT_EQ(out.result, CheckResult::kAccepted);
  EXPECT_TRUE(out.new_path);
  EXPECT_FALSE(out.selected_changed);
  EXPECT_EQ(*agent_.selected(), relay);

  // The browser moves from the relay to the host pair.
  out = send(check(true), host);
  EXPECT_TRUE(out.selected_changed);
  EXPECT_FALSE(out.state_changed);
  EXPECT_FALSE(out.new_path);
  EXPECT_EQ(*agent_.selected(), host);

  // Renominating the same pair changes nothing.
  out = send(check(true), host);
  EXPECT_FALSE(out.selected_changed);
  EXPECT_TRUE(agent_.knows(relay));
}

TEST_F(IceAgentTest, ConsentExpiresWithoutChecks) {
  Path from = path("198.51.100.7:1");
  send(check(true), from);
  ASSERT_EQ(agent_.state(), IceState::kConnected);
  ASSERT_EQ(agent_.next_deadline(), clock_.now() + Seconds(15));

  clock_.advance(Seconds(14));
  EXPECT_FALSE(agent_.on_timer(clock_.now()));
  EXPECT_EQ(agent_.state(), IceState::kConnected);

  clock_.advance(Seconds(1));
  EXPECT_TRUE(agent_.on_timer(clock_.now()));
  EXPECT_EQ(agent_.state(), IceState::kDisconnected);
  ASSERT_NE(agent_.selected(), nullptr);  // consent still valid: keep sending

  clock_.advance(Seconds(15));
  EXPECT_TRUE(agent_.on_timer(clock_.now()));
  EXPECT_EQ(agent_.state(), IceState::kFailed);
  EXPECT_EQ(agent_.selected(), nullptr);
  EXPECT_EQ(agent_.next_deadline(), std::nullopt);

  // Failed is terminal: later checks are not answered.
  EXPECT_EQ(send(check(true), from).result, CheckResult::kDropped);
  EXPECT_EQ(agent_.state(), IceState::kFailed);
}

// RFC 8445 §2.4: an ICE restart after consent was lost; old credentials are
// refused from then on, checks with the new ones bring the agent back.
TEST_F(IceAgentTest, RestartLeavesFailedWithNewCredentials) {
  Path from = path("198.51.100.7:1");
  send(check(true), from);
  clock_.advance(Seconds(31));
  agent_.on_timer(clock_.now());
  ASSERT_EQ(agent_.state(), IceState::kFailed);
  Check old = check(true);

  IceCredentials fresh = IceCredentials::generate();
  agent_.restart(fresh, kRemoteUfrag);
  EXPECT_EQ(agent_.state(), IceState::kNew);
  EXPECT_EQ(agent_.local_credentials().ufrag, fresh.ufrag);
  EXPECT_EQ(send(old, from).result, CheckResult::kUnauthenticated);
  Path moved = path("198.51.100.7:2");  // a new TURN allocation, say
  StunOutcome out = send(check(true), moved);
  EXPECT_EQ(out.result, CheckResult::kAccepted);
  EXPECT_EQ(agent_.state(), IceState::kConnected);
  ASSERT_NE(agent_.selected(), nullptr);
  EXPECT_EQ(*agent_.selected(), moved);

  IceCredentials bad;
  bad.ufrag = "x";
  EXPECT_THROW(agent_.restart(bad, ""), std::invalid_argument);
}

TEST_F(IceAgentTest, FreshChecksKeepConsent) {
  Path from = path("198.51.100.7:1");
  send(check(true), from);
  for (int i = 0; i < 20; ++i) {  // 100 s of consent checks every 5 s
    clock_.advance(Seconds(5));
    EXPECT_FALSE(agent_.on_timer(clock_.now()));
    EXPECT_EQ(send(check(false), from).result, CheckResult::kAccepted);
  }
  EXPECT_EQ(agent_.state(), IceState::kConnected);
}

TEST_F(IceAgentTest, DisconnectedRecoversOnACheck) {
  Path from = path("198.51.100.7:1");
  send(check(true), from);
  clock_.advance(Seconds(20));
  EXPECT_TRUE(agent_.on_timer(clock_.now()));
  ASSERT_EQ(agent_.state(), IceState::kDisconnected);

  // A check on another, unnominated path does not prove the selected one.
  StunOutcome out = send(check(false), path("198.51.100.7:2"));
  EXPECT_FALSE(out.state_changed);
  EXPECT_EQ(agent_.state(), IceState::kDisconnected);

  out = send(check(false), from);
  EXPECT_TRUE(out.state_changed);
  EXPECT_EQ(agent_.state(), IceState::kConnected);
}

TEST_F(IceAgentTest, SilentConsentFailsEvenWithoutAnIntermediateTimer) {
  send(check(true), path("198.51.100.7:1"));
  clock_.advance(Seconds(31));
  EXPECT_TRUE(agent_.on_timer(clock_.now()));
  EXPECT_EQ(agent_.state(), IceState::kFailed);
}

TEST_F(IceAgentTest, CheckingWithoutNominationTimesOut) {
  send(check(false), path("198.51.100.7:1"));
  ASSERT_EQ(agent_.state(), IceState::kChecking);
  clock_.advance(Seconds(29));
  EXPECT_FALSE(agent_.on_timer(clock_.now()));
  clock_.advance(Seconds(1));
  EXPECT_TRUE(agent_.on_timer(clock_.now()));
  EXPECT_EQ(agent_.state(), IceState::kFailed);
}

TEST_F(IceAgentTest, NewAgentHasNoDeadline) {
  EXPECT_EQ(agent_.next_deadline(), std::nullopt);
  clock_.advance(Seconds(300));
  EXPECT_FALSE(agent_.on_timer(clock_.now()));
  EXPECT_EQ(agent_.state(), IceState::kNew);
}

TEST_F(IceAgentTest, PathTableEvictsTheOldestUnselectedPath) {
  Path selected = path("198.51.100.1:1000");
  send(check(true), selected);
  for (uint16_t i = 1; i < IceAgent::kMaxPaths; ++i) {
    clock_.advance(Seconds(1));
    StunOutcome out = send(check(false), path("198.51.100.2:1000", i));
    EXPECT_FALSE(out.forgotten.has_value());
  }
  clock_.advance(Seconds(1));
  StunOutcome out = send(check(false), path("198.51.100.3:1000"));
  ASSERT_TRUE(out.forgotten.has_value());
  EXPECT_EQ(*out.forgotten, path("198.51.100.2:1000", 1));  // the oldest, not the selected
  EXPECT_EQ(*agent_.selected(), selected);
  size_t count = 0;
  agent_.for_each_path([&](const Path&) { ++count; });
  EXPECT_EQ(count, IceAgent::kMaxPaths);
}

TEST_F(IceAgentTest, ReplyBufferTooSmallStillCountsTheCheck) {
  auto packet = test::build(check(true), mac_);
  std::array<std::byte, 24> tiny{};
  StunOutcome out = agent_.handle_stun(packet, path("198.51.100.7:1"), tiny);
  EXPECT_EQ(out.result, CheckResult::kAccepted);
  EXPECT_EQ(out.reply_size, 0u);
  EXPECT_EQ(agent_.state(), IceState::kConnected);
}

TEST(IceCredentials, GeneratedCredentialsAreRandomIceChars) {
  IceCredentials a = IceCredentials::generate();
  IceCredentials b = IceCredentials::generate();
  EXPECT_EQ(a.ufrag.size(), kUfragLength);
  EXPECT_EQ(a.pwd.size(), kPwdLength);
  EXPECT_TRUE(a.valid());
  EXPECT_TRUE(is_ice_chars(a.ufrag + a.pwd));
  EXPECT_NE(a.ufrag, b.ufrag);
  EXPECT_NE(a.pwd, b.pwd);
}

TEST(IceCredentials, Validation) {
  EXPECT_FALSE(is_ice_chars("ab:c"));
  EXPECT_TRUE(is_ice_chars("aZ09+/"));
  EXPECT_FALSE((IceCredentials{"abc", std::string(22, 'x')}.valid()));
  EXPECT_FALSE((IceCredentials{"abcd", std::string(21, 'x')}.valid()));
  EXPECT_TRUE((IceCredentials{"abcd", std::string(22, 'x')}.valid()));

  ManualClock clock;
  stun::MacContext mac;
  IceAgentConfig config;
  config.local = {"ab:cd", std::string(24, 'x')};
  EXPECT_THROW(IceAgent(config, clock, mac), std::invalid_argument);
}

}  // namespace
}  // namespace turnd::sfu::ice

// IceRegistry: demultiplexing two agents by USERNAME, silent drops for
// unknown ufrags, the path map for non-STUN packets, paths moving between
// agents, eviction and removal.
#include "sfu/ice/ice_registry.h"

#include <gtest/gtest.h>

#include <array>

#include "tests/unit/sfu/ice/check_builder.h"

namespace turnd::sfu::ice {
namespace {

using test::Check;
using test::Reply;

IceAgentConfig fresh_config() {
  IceAgentConfig c;
  c.local = IceCredentials::generate();
  return c;
}

class IceRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.add(alice_);
    registry_.add(bob_);
  }

  Check check_for(const IceAgent& agent, bool use_candidate = true) {
    Check c;
    c.username = agent.local_credentials().ufrag + ":peer";
    c.pwd = agent.local_credentials().pwd;
    c.use_candidate = use_candidate;
    c.id = ++next_id_;
    return c;
  }

  IceRegistry::Dispatch send(const Check& c, const Path& from) {
    auto packet = test::build(c, mac_);
    last_ = registry_.handle_stun(packet, from, reply_);
    return last_;
  }

  static Path path(const char* address, uint32_t socket = 0) {
    return Path{*SocketAddress::parse(address), socket};
  }

  ManualClock clock_;
  stun::MacContext mac_;
  IceAgent alice_{fresh_config(), clock_, mac_};
  IceAgent bob_{fresh_config(), clock_, mac_};
  IceRegistry registry_{8};
  std::array<std::byte, 1280> reply_{};
  IceRegistry::Dispatch last_;
  uint8_t next_id_ = 0;
};

TEST_F(IceRegistryTest, ChecksReachTheAgentNamedByUsername) {
  Path a = path("198.51.100.1:5000");
  Path b = path("198.51.100.2:6000");
  auto d = send(check_for(alice_), a);
  EXPECT_EQ(d.agent, &alice_);
  EXPECT_EQ(d.outcome.result, CheckResult::kAccepted);
  Reply alice_reply(Bytes(reply_.data(), d.outcome.reply_size));
  EXPECT_TRUE(alice_reply.signed_with(mac_, alice_.local_credentials().pwd));

  d = send(check_for(bob_), b);
  EXPECT_EQ(d.agent, &bob_);
  EXPECT_EQ(d.outcome.result, CheckResult::kAccepted);
  Reply bob_reply(Bytes(reply_.data(), d.outcome.reply_size));
  EXPECT_TRUE(bob_reply.signed_with(mac_, bob_.local_credentials().pwd));
  EXPECT_FALSE(bob_reply.signed_with(mac_, alice_.local_credentials().pwd));

  EXPECT_EQ(registry_.find(a), &alice_);
  EXPECT_EQ(registry_.find(b), &bob_);
  EXPECT_EQ(registry_.find(path("198.51.100.1:5000", 1)), nullptr);  // another local socket
  EXPECT_EQ(*alice_.selected(), a);
  EXPECT_EQ(*bob_.selected(), b);
  EXPECT_EQ(registry_.path_count(), 2u);
}

TEST_F(IceRegistryTest, ARestartedAgentIsFoundByItsNewUfragOnly) {
  Path a = path("198.51.100.1:5000");
  send(check_for(alice_), a);
  std::string old = alice_.local_credentials().ufrag;
  Check stale = check_for(alice_);
  alice_.restart(IceCredentials::generate(), "peer");
  registry_.rekey(alice_, old);
  EXPECT_EQ(registry_.find_by_ufrag(old), nullptr);
  EXPECT_EQ(registry_.find_by_ufrag(alice_.local_credentials().ufrag), &alice_);
  EXPECT_EQ(registry_.find(a), &alice_);  // its paths stay
  EXPECT_EQ(send(stale, path("198.51.100.1:5001")).agent, nullptr);
  EXPECT_EQ(send(check_for(alice_), path("198.51.100.1:5001")).outcome.result,
            CheckResult::kAccepted);
  EXPECT_EQ(registry_.agent_count(), 2u);
}

TEST_F(IceRegistryTest, UnknownUfragIsDroppedSilently) {
  Check c = check_for(alice_);
  c.username = "nobody00:peer";
  auto d = send(c, path("198.51.100.1:5000"));
  EXPECT_EQ(d.agent, nullptr);
  EXPECT_EQ(d.outcome.reply_size, 0u);
  EXPECT_EQ(registry_.path_count(), 0u);
}

TEST_F(IceRegistryTest, WrongPasswordForAKnownUfragIs401AndMapsNothing) {
  Check c = check_for(alice_);
  c.pwd = bob_.local_credentials().pwd;
  auto d = send(c, path("198.51.100.1:5000"));
  EXPECT_EQ(d.agent, &alice_);
  EXPECT_EQ(d.outcome.result, CheckResult::kUnauthenticated);
  EXPECT_EQ(Reply(Bytes(reply_.data(), d.outcome.reply_size)).error_code(), 401);
  EXPECT_EQ(registry_.find(path("198.51.100.1:5000")), nullptr);
}

TEST_F(IceRegistryTest, RequestWithoutUsernameIs400OnlyFromAKnownPath) {
  Path known = path("198.51.100.1:5000");
  send(check_for(alice_), known);
  Check c = check_for(alice_);
  c.with_username = false;
  auto d = send(c, known);
  EXPECT_EQ(d.agent, &alice_);
  EXPECT_EQ(d.outcome.result, CheckResult::kBadRequest);

  d = send(c, path("198.51.100.99:5000"));
  EXPECT_EQ(d.agent, nullptr);
  EXPECT_EQ(d.outcome.reply_size, 0u);
}

TEST_F(IceRegistryTest, NonStunAndGarbageAreDropped) {
  std::array<std::byte, 24> dtls{std::byte{22}, std::byte{0xFE}, std::byte{0xFD}};
  auto d = registry_.handle_stun(dtls, path("198.51.100.1:5000"), reply_);
  EXPECT_EQ(d.agent, nullptr);
}

TEST_F(IceRegistryTest, PathMovesToTheAgentThatValidatesIt) {
  Path shared = path("198.51.100.1:5000");  // a NAT mapping reused by another participant
  send(check_for(alice_), shared);
  ASSERT_EQ(registry_.find(shared), &alice_);
  send(check_for(bob_), shared);
  EXPECT_EQ(registry_.find(shared), &bob_);
  registry_.remove(alice_);  // alice still lists the path but no longer owns it
  EXPECT_EQ(registry_.find(shared), &bob_);
}

TEST_F(IceRegistryTest, RemoveForgetsUfragAndPaths) {
  send(check_for(alice_), path("198.51.100.1:5000"));
  send(check_for(alice_, false), path("198.51.100.1:5001"));
  send(check_for(bob_), path("198.51.100.2:6000"));
  ASSERT_EQ(registry_.path_count(), 3u);
  registry_.remove(alice_);
  EXPECT_EQ(registry_.find_by_ufrag(alice_.local_credentials().ufrag), nullptr);
  EXPECT_EQ(registry_.find(path("198.51.100.1:5000")), nullptr);
  EXPECT_EQ(registry_.path_count(), 1u);
  EXPECT_EQ(registry_.agent_count(), 1u);
  auto d = send(check_for(alice_), path("198.51.100.1:5000"));
  EXPECT_EQ(d.agent, nullptr);
}

TEST_F(IceRegistryTest, EvictedPathsAreUnmapped) {
  send(check_for(alice_), path("198.51.100.1:1"));
  for (uint16_t i = 0; i < IceAgent::kMaxPaths; ++i) {
    clock_.advance(Seconds(1));
    send(check_for(alice_, false), path("198.51.100.1:100", i));
  }
  EXPECT_TRUE(last_.outcome.forgotten.has_value());
  EXPECT_EQ(registry_.path_count(), IceAgent::kMaxPaths);
  EXPECT_EQ(registry_.find(path("198.51.100.1:100", 0)), nullptr);
  EXPECT_EQ(registry_.find(path("198.51.100.1:1")), &alice_);
}

TEST_F(IceRegistryTest, DuplicateUfragIsRejected) {
  IceAgentConfig copy;
  copy.local = alice_.local_credentials();
  IceAgent twin(copy, clock_, mac_);
  EXPECT_THROW(registry_.add(twin), std::invalid_argument);
  EXPECT_NO_THROW(registry_.add(alice_));  // adding the same agent again is harmless
  EXPECT_EQ(registry_.find_by_ufrag(alice_.local_credentials().ufrag), &alice_);
}

}  // namespace
}  // namespace turnd::sfu::ice

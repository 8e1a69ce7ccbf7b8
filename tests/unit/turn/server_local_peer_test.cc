// Relaying to an in-process peer (the SFU, issue 5): the Server hands the
// payload to LocalPeers instead of the relay socket, from the relayed
// address; the peer's replies arrive through on_peer_packet like any peer's.
// The SFU's exact address is allowed although it is loopback; its other
// ports and every other loopback peer stay denied.
#include <gtest/gtest.h>

#include "stun_client.h"

namespace turnd::turn::test {
namespace {

constexpr std::string_view kSfu = "127.0.0.1:7882";

struct FakeLocalPeers final : LocalPeers {
  bool is_local(const SocketAddress& peer) const noexcept override { return peer == addr(kSfu); }
  bool in_process() const noexcept override { return on; }
  bool deliver(void* context, RelaySink& sink, const SocketAddress& from, const SocketAddress& to,
               Bytes payload) noexcept override {
    if (full) return false;
    last_context = context;
    last_sink = &sink;
    delivered.push_back({from, to, ByteVector(payload.begin(), payload.end())});
    return true;
  }
  void forget(void* context) noexcept override { forgotten.push_back(context); }

  struct Datagram {
    SocketAddress from, to;
    ByteVector payload;
  };
  bool on = true;
  bool full = false;
  void* last_context = nullptr;
  RelaySink* last_sink = nullptr;
  std::vector<Datagram> delivered;
  std::vector<void*> forgotten;
};

class LocalPeerTest : public ::testing::Test {
 protected:
  LocalPeerTest() : h_(config()), client_(h_, "192.0.2.10:40000") {}
  HarnessConfig config() {
    HarnessConfig c;
    c.local_peers = &local_;
    return c;
  }
  void SetUp() override {
    ASSERT_TRUE(client_.allocate().is_success(stun::Method::kAllocate));
    relayed_ = client_.relay().local;
  }

  FakeLocalPeers local_;
  Harness h_;
  TestClient client_;
  SocketAddress relayed_;
};

TEST_F(LocalPeerTest, ChannelDataToTheSfuIsHandedOverFromTheRelayedAddress) {
  ASSERT_TRUE(client_.create_permission({addr(kSfu)}).is_success(stun::Method::kCreatePermission));
  ASSERT_TRUE(client_.channel_bind(0x4001, addr(kSfu)).is_success(stun::Method::kChannelBind));
  client_.send_channel_data(0x4001, pattern(100));
  client_.send_indication(addr(kSfu), pattern(40));
  ASSERT_EQ(local_.delivered.size(), 2u);
  EXPECT_EQ(local_.delivered[0].from, relayed_);
  EXPECT_EQ(local_.delivered[0].to, addr(kSfu));
  EXPECT_EQ(local_.delivered[0].payload, pattern(100));
  EXPECT_EQ(local_.delivered[1].payload, pattern(40));
  EXPECT_TRUE(client_.relay().sent.empty());  // no relay socket, no kernel
  EXPECT_EQ(h_.metrics().packets_to_local_peers.get(), 2u);
  EXPECT_EQ(h_.metrics().packets_to_peers.get(), 0u);
  EXPECT_EQ(h_.server.find(client_.tuple())->traffic().bytes_from_client, 140u);

  // The SFU answers through the sink, as a relay socket would.
  ByteVector reply = pattern(60);
  ByteVector buffer(Server::kPeerHeadroom + reply.size() + Server::kPeerTailroom);
  std::copy(reply.begin(), reply.end(), buffer.begin() + Server::kPeerHeadroom);
  local_.last_sink->on_peer_packet(
      local_.last_context, addr(kSfu),
      MutableBytes(buffer.data() + Server::kPeerHeadroom, reply.size()), Server::kPeerHeadroom,
      Server::kPeerTailroom);
  auto received = client_.take_received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(load_be16(received[0].data()), 0x4001);  // as ChannelData on its channel
  EXPECT_EQ(ByteVector(received[0].begin() + 4, received[0].end()), reply);
}

TEST_F(LocalPeerTest, OnlyTheSfusExactAddressIsAllowedOnLoopback) {
  EXPECT_TRUE(client_.create_permission({addr(kSfu)}).is_success(stun::Method::kCreatePermission));
  EXPECT_EQ(client_.create_permission({addr("127.0.0.1:22")}).error_code(), 403);
  EXPECT_EQ(client_.channel_bind(0x4002, addr("127.0.0.1:22")).error_code(), 403);
  client_.send_indication(addr("127.0.0.1:22"), pattern(10));  // permission for the IP exists
  EXPECT_TRUE(local_.delivered.empty());
  EXPECT_TRUE(client_.relay().sent.empty());
  EXPECT_GE(h_.metrics().denied_peers.get(), 3u);
}

TEST_F(LocalPeerTest, OffSendsThroughTheRelaySocketAndAFullQueueDrops) {
  ASSERT_TRUE(client_.create_permission({addr(kSfu)}).is_success(stun::Method::kCreatePermission));
  local_.on = false;
  client_.send_indication(addr(kSfu), pattern(10));
  EXPECT_TRUE(local_.delivered.empty());
  ASSERT_EQ(client_.relay().sent.size(), 1u);
  EXPECT_EQ(client_.relay().sent[0].first, addr(kSfu));
  local_.on = true;
  local_.full = true;
  client_.send_indication(addr(kSfu), pattern(10));
  EXPECT_EQ(h_.metrics().dropped_packets.get(), 1u);
}

TEST_F(LocalPeerTest, ADeletedAllocationIsForgotten) {
  ASSERT_TRUE(client_.create_permission({addr(kSfu)}).is_success(stun::Method::kCreatePermission));
  client_.send_indication(addr(kSfu), pattern(10));
  void* context = local_.last_context;
  ASSERT_TRUE(client_.refresh(0).is_success(stun::Method::kRefresh));
  EXPECT_EQ(local_.forgotten, std::vector<void*>{context});
}

// A browser's credential (made by the conference with the process's own
// secret) relays to the SFU and nowhere else, even to a public peer the policy
// allows; a credential from the admin's REST secret is not narrowed.
TEST(BrowserCredentials, TheSfuIsTheOnlyPeer) {
  FakeLocalPeers local;
  HarnessConfig config;
  config.local_peers = &local;
  config.secrets = {"admin-secret"};
  config.sfu_secret = std::string("\x01\x02 binary \xff sfu secret", 22);
  Harness h(config);
  stun::MacContext mac;
  std::string user = std::to_string(h.clock.unix_seconds() + 300) + ":p1";
  TestClient browser(h, "192.0.2.20:40000", user,
                     auth::Authenticator::rest_password(mac, config.sfu_secret, user));
  ASSERT_TRUE(browser.allocate().is_success(stun::Method::kAllocate));
  EXPECT_TRUE(browser.create_permission({addr(kSfu)}).is_success(stun::Method::kCreatePermission));
  EXPECT_EQ(browser.create_permission({addr("93.184.216.34:5000")}).error_code(), 403);
  EXPECT_EQ(browser.channel_bind(0x4001, addr("93.184.216.34:5000")).error_code(), 403);
  browser.send_indication(addr("93.184.216.34:5000"), pattern(10));
  EXPECT_TRUE(browser.relay().sent.empty());

  std::string admin_user = std::to_string(h.clock.unix_seconds() + 300) + ":tool";
  TestClient tool(h, "192.0.2.21:40000", admin_user,
                  auth::Authenticator::rest_password(mac, "admin-secret", admin_user));
  ASSERT_TRUE(tool.allocate().is_success(stun::Method::kAllocate));
  EXPECT_TRUE(tool.create_permission({addr("93.184.216.34:5000")})
                  .is_success(stun::Method::kCreatePermission));
}

}  // namespace
}  // namespace turnd::turn::test

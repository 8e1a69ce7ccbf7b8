// The Server tells its SessionObserver when each allocation starts and ends,
// why it ended, and what it relayed.
#include <gtest/gtest.h>

#include <set>

#include "stun_client.h"

namespace turnd::turn::test {
namespace {

struct Recorded {
  Allocation::SessionId id{};
  int64_t started = 0;
  bool ended = false;
  EndReason reason{};
  Traffic traffic;
  std::string user;
};

class RecordingObserver final : public SessionObserver {
 public:
  void on_allocation_started(const Allocation& a) noexcept override {
    starts++;
    last = {a.session_id(), a.started_unix(), false, {}, a.traffic(), a.username()};
  }
  void on_allocation_ended(const Allocation& a, EndReason reason) noexcept override {
    ends++;
    last = {a.session_id(), a.started_unix(), true, reason, a.traffic(), a.username()};
    ids.push_back(a.session_id());
  }
  int starts = 0;
  int ends = 0;
  Recorded last;
  std::vector<Allocation::SessionId> ids;
};

HarnessConfig with(RecordingObserver& observer) {
  HarnessConfig c;
  c.sessions = &observer;
  return c;
}

TEST(ServerSessions, StartAndClientEndWithTrafficCounts) {
  RecordingObserver observer;
  Harness h(with(observer));
  h.advance(100);
  TestClient client(h, "192.0.2.10:40000");
  ASSERT_TRUE(client.allocate().is_success(stun::Method::kAllocate));
  EXPECT_EQ(observer.starts, 1);
  EXPECT_EQ(observer.last.user, "alice");
  EXPECT_EQ(observer.last.started, h.clock.unix_seconds());
  Allocation::SessionId id = observer.last.id;
  EXPECT_EQ(static_cast<unsigned>(id[6]) >> 4, 4u);  // UUID version 4
  EXPECT_EQ(static_cast<unsigned>(id[8]) >> 6, 2u);  // RFC 9562 variant

  SocketAddress peer = addr(kPeerA);
  ASSERT_TRUE(client.create_permission({peer}).is_success(stun::Method::kCreatePermission));
  ASSERT_TRUE(client.channel_bind(0x4000, peer).is_success(stun::Method::kChannelBind));
  std::vector<std::byte> payload(100, std::byte{1});
  client.send_channel_data(0x4000, payload);
  client.send_channel_data(0x4000, payload);
  client.send_indication(peer, std::vector<std::byte>(30, std::byte{2}));
  client.relay().deliver(peer, std::vector<std::byte>(50, std::byte{3}));
  EXPECT_EQ(client.take_received().size(), 1u);

  ASSERT_TRUE(client.refresh(0).is_success(stun::Method::kRefresh));
  EXPECT_EQ(observer.ends, 1);
  EXPECT_EQ(observer.last.reason, EndReason::kClient);
  EXPECT_EQ(observer.last.id, id);
  EXPECT_EQ(observer.last.traffic.packets_from_client, 3u);
  EXPECT_EQ(observer.last.traffic.bytes_from_client, 230u);
  EXPECT_EQ(observer.last.traffic.packets_to_client, 1u);
  EXPECT_EQ(observer.last.traffic.bytes_to_client, 50u);
}

TEST(ServerSessions, ExpiryConnectionLossAndShutdownEachHaveTheirReason) {
  RecordingObserver observer;
  {
    Harness h(with(observer));
    TestClient a(h, "192.0.2.10:40000");
    TestClient b(h, "192.0.2.11:40000", "bob", "bob-pass", ClientTransport::kTcp);
    TestClient c(h, "192.0.2.12:40000");
    ASSERT_TRUE(a.allocate().is_success(stun::Method::kAllocate));
    ASSERT_TRUE(b.allocate().is_success(stun::Method::kAllocate));
    h.advance(700);  // past the default lifetime of a and b
    ASSERT_TRUE(c.allocate().is_success(stun::Method::kAllocate));
    h.server.expire();
    EXPECT_EQ(observer.ends, 2);
    EXPECT_EQ(observer.last.reason, EndReason::kExpired);

    ASSERT_TRUE(b.allocate().is_success(stun::Method::kAllocate));
    h.server.on_link_closed(make_tuple("192.0.2.11:40000", ClientTransport::kTcp));
    EXPECT_EQ(observer.ends, 3);
    EXPECT_EQ(observer.last.reason, EndReason::kConnectionClosed);
    EXPECT_EQ(observer.last.user, "bob");
  }  // the Server goes: c ends as shutdown
  EXPECT_EQ(observer.starts, 4);
  EXPECT_EQ(observer.ends, 4);
  EXPECT_EQ(observer.last.reason, EndReason::kShutdown);
  std::set<Allocation::SessionId> distinct(observer.ids.begin(), observer.ids.end());
  EXPECT_EQ(distinct.size(), 4u);
}

TEST(ServerSessions, ARefusedAllocateStartsNoSession) {
  RecordingObserver observer;
  HarnessConfig c = with(observer);
  c.total_quota = 1;
  Harness h(c);
  TestClient a(h, "192.0.2.10:40000");
  TestClient b(h, "192.0.2.11:40000", "bob", "bob-pass");
  ASSERT_TRUE(a.allocate().is_success(stun::Method::kAllocate));
  EXPECT_FALSE(b.allocate().is_success(stun::Method::kAllocate));  // 486
  EXPECT_EQ(observer.starts, 1);
  EXPECT_EQ(observer.ends, 0);
}

}  // namespace
}  // namespace turnd::turn::test

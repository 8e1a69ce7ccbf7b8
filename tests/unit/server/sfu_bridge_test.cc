// The in-process relay between TURN workers and the SFU: datagrams cross the
// lock-free rings with their addresses, replies find their allocation, a
// forgotten allocation gets nothing, a full ring drops and counts — with real
// event loops and eventfd wakeups.
#include "turnd/server/sfu_bridge.h"

#include <gtest/gtest.h>

#include <thread>

namespace turnd::server {
namespace {

SocketAddress addr(const char* text) {
  return *SocketAddress::parse(text);
}

// The SFU side: records what arrives and echoes it back through the link.
struct EchoSfu final : turn::ClientPacketHandler {
  void on_client_packet(const turn::FiveTuple& tuple, turn::ClientLink& link,
                        MutableBytes data) noexcept override {
    from.push_back(tuple.client);
    to.push_back(tuple.server);
    if (echo) link.send(data);
  }
  void on_link_closed(const turn::FiveTuple&) noexcept override {}
  bool has_allocation(const turn::FiveTuple&) const noexcept override { return false; }
  bool echo = true;
  std::vector<SocketAddress> from, to;
};

struct RecordingSink final : turn::RelaySink {
  void on_peer_packet(void* context, const SocketAddress& peer, MutableBytes data, size_t headroom,
                      size_t tailroom) noexcept override {
    contexts.push_back(context);
    peers.push_back(peer);
    payloads.emplace_back(data.begin(), data.end());
    EXPECT_GE(headroom, 48u);  // room for a Data indication header
    EXPECT_GE(tailroom, 4u);
  }
  std::vector<void*> contexts;
  std::vector<SocketAddress> peers;
  std::vector<std::vector<std::byte>> payloads;
};

class SfuBridgeTest : public ::testing::Test {
 protected:
  SfuBridgeTest() : bridge_(1, {addr("127.0.0.1:7882")}, true) {
    bridge_.port(0).attach(worker_);
    bridge_.attach_sfu(sfu_loop_, sfu_);
  }
  ~SfuBridgeTest() override {
    bridge_.port(0).detach();
    bridge_.detach_sfu();
  }
  bool deliver(void* context, const char* from, std::vector<std::byte> payload) {
    return bridge_.port(0).deliver(context, sink_, addr(from), addr("127.0.0.1:7882"), payload);
  }
  // One round each way: worker -> SFU -> worker.
  void round_trip() {
    bridge_.port(0).flush();
    sfu_loop_.run_once();
    bridge_.flush_sfu();
    worker_.run_once();
  }

  net::EventBase worker_;
  net::EventBase sfu_loop_;
  EchoSfu sfu_;
  RecordingSink sink_;
  SfuBridge bridge_;
};

TEST_F(SfuBridgeTest, DatagramsCrossWithTheirAddressesAndRepliesFindTheirAllocation) {
  EXPECT_TRUE(bridge_.port(0).is_local(addr("127.0.0.1:7882")));
  EXPECT_FALSE(bridge_.port(0).is_local(addr("127.0.0.1:7883")));
  EXPECT_TRUE(bridge_.port(0).in_process());
  int a = 0, b = 0;
  ASSERT_TRUE(deliver(&a, "203.0.113.1:50000", {std::byte{1}, std::byte{2}}));
  ASSERT_TRUE(deliver(&b, "203.0.113.1:50002", {std::byte{3}}));
  round_trip();
  ASSERT_EQ(sfu_.from.size(), 2u);
  EXPECT_EQ(sfu_.from[0], addr("203.0.113.1:50000"));  // the relayed address, as via the kernel
  EXPECT_EQ(sfu_.to[0], addr("127.0.0.1:7882"));
  ASSERT_EQ(sink_.contexts.size(), 2u);
  EXPECT_EQ(sink_.contexts[0], &a);
  EXPECT_EQ(sink_.contexts[1], &b);
  EXPECT_EQ(sink_.peers[0], addr("127.0.0.1:7882"));
  EXPECT_EQ(sink_.payloads[1], std::vector<std::byte>{std::byte{3}});
  BridgeCounters c = bridge_.counters();
  EXPECT_EQ(c.to_sfu, 2u);
  EXPECT_EQ(c.from_sfu, 2u);
  EXPECT_EQ(c.dropped, 0u);
}

TEST_F(SfuBridgeTest, AForgottenAllocationGetsNothing) {
  int a = 0;
  ASSERT_TRUE(deliver(&a, "203.0.113.1:50000", {std::byte{1}}));
  bridge_.port(0).forget(&a);
  round_trip();
  EXPECT_TRUE(sink_.contexts.empty());
  EXPECT_EQ(bridge_.counters().dropped, 1u);
}

TEST_F(SfuBridgeTest, AFullRingDropsAndCounts) {
  sfu_.echo = false;
  int a = 0;
  size_t accepted = 0;
  for (size_t i = 0; i < SfuBridge::kSlots + 10; ++i) {
    accepted += deliver(&a, "203.0.113.1:50000", {std::byte{1}}) ? 1 : 0;
  }
  EXPECT_EQ(accepted, SfuBridge::kSlots);
  EXPECT_EQ(bridge_.counters().dropped, 10u);
  std::vector<std::byte> huge(LocalDatagram::kMaxPayload + 1);
  EXPECT_FALSE(
      bridge_.port(0).deliver(&a, sink_, addr("203.0.113.1:50000"), addr("127.0.0.1:7882"), huge));
  bridge_.port(0).flush();
  sfu_loop_.run_once();  // no echo: the worker's loop would wait for nothing
  EXPECT_EQ(sfu_.from.size(), SfuBridge::kSlots);
}

TEST(SfuBridgeThreads, ManyDatagramsBothWaysAcrossThreadsNoneLost) {
  constexpr int kCount = 20000;
  SfuBridge bridge(1, {addr("127.0.0.1:7882")}, true);
  net::EventBase sfu_loop;
  EchoSfu sfu;
  bridge.attach_sfu(sfu_loop, sfu);
  std::thread sfu_thread([&] {
    while (!sfu_loop.stopped()) {
      sfu_loop.run_once();
      bridge.flush_sfu();
    }
  });
  net::EventBase worker;
  RecordingSink sink;
  bridge.port(0).attach(worker);
  int context = 0;
  int sent = 0;
  while (static_cast<int>(sink.payloads.size()) < kCount) {
    // At most 256 in flight, so no ring fills up.
    while (sent < kCount && sent - static_cast<int>(sink.payloads.size()) < 256) {
      std::byte b{static_cast<unsigned char>(sent & 0xFF)};
      ASSERT_TRUE(bridge.port(0).deliver(&context, sink, addr("203.0.113.1:50000"),
                                         addr("127.0.0.1:7882"), Bytes(&b, 1)));
      ++sent;
    }
    bridge.port(0).flush();
    worker.run_once();
  }
  sfu_loop.stop();
  std::byte last{0};  // wakes the SFU's loop so it sees the stop
  bridge.port(0).deliver(&context, sink, addr("203.0.113.1:50000"), addr("127.0.0.1:7882"),
                         Bytes(&last, 1));
  bridge.port(0).flush();
  sfu_thread.join();
  bridge.port(0).detach();
  bridge.detach_sfu();
  ASSERT_EQ(sink.payloads.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    ASSERT_EQ(sink.payloads[i][0], std::byte{static_cast<unsigned char>(i & 0xFF)}) << i;
  }
  EXPECT_EQ(bridge.counters().dropped, 0u);
}

}  // namespace
}  // namespace turnd::server

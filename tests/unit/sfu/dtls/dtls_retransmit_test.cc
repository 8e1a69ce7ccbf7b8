// DtlsTransport retransmission: the owner-driven timer (next_timeout /
// on_timeout) recovers lost flights. A short initial timeout keeps the
// tests fast; OpenSSL measures the timer against the real clock.
#include <gtest/gtest.h>

#include <thread>

#include "sfu/dtls/dtls_transport.h"
#include "tests/unit/sfu/dtls/dtls_pair.h"

namespace turnd::sfu::dtls {
namespace {

using namespace std::chrono_literals;
using test::DtlsPair;
using test::PairOptions;

PairOptions fast_timers() {
  PairOptions options;
  options.initial_retransmit_timeout = 20ms;
  return options;
}

void wait_for_timer(DtlsTransport& transport) {
  auto left = transport.next_timeout();
  ASSERT_TRUE(left.has_value());
  EXPECT_LE(*left, 20ms);
  std::this_thread::sleep_for(*left + 5ms);
  EXPECT_EQ(transport.next_timeout(), std::chrono::microseconds(0));
}

TEST(DtlsRetransmit, NoTimerBeforeStart) {
  DtlsPair pair;  // the default 1 s timer: cannot run out during the test
  EXPECT_EQ(pair.client->next_timeout(), std::nullopt);
  pair.client->start();
  EXPECT_TRUE(pair.client->next_timeout().has_value());
  EXPECT_FALSE(pair.client->on_timeout());  // not due yet: nothing is sent
  EXPECT_EQ(pair.client.outbox.size(), 1u);
}

TEST(DtlsRetransmit, LostClientHelloIsResent) {
  DtlsPair pair(fast_timers());
  pair.client->start();
  ASSERT_EQ(pair.client.outbox.size(), 1u);
  auto first_hello = pair.client.outbox.front();
  pair.client.outbox.clear();  // lost

  wait_for_timer(*pair.client);
  pair.client->on_timeout();
  ASSERT_EQ(pair.client.outbox.size(), 1u);
  EXPECT_EQ(pair.client.outbox.front().size(), first_hello.size());
  pair.pump();
  EXPECT_EQ(pair.client->state(), DtlsState::kConnected);
  EXPECT_EQ(pair.server->state(), DtlsState::kConnected);
}

TEST(DtlsRetransmit, LostServerFlightIsResent) {
  DtlsPair pair(fast_timers());
  pair.client->start();
  auto hello = pair.client.outbox.front();
  pair.client.outbox.clear();
  pair.server->feed(hello);
  ASSERT_FALSE(pair.server.outbox.empty());
  pair.server.outbox.clear();  // the whole ServerHello..ServerHelloDone flight is lost

  wait_for_timer(*pair.server);
  pair.server->on_timeout();
  EXPECT_FALSE(pair.server.outbox.empty());
  pair.pump();
  EXPECT_EQ(pair.client->state(), DtlsState::kConnected);
  EXPECT_EQ(pair.server->state(), DtlsState::kConnected);
  EXPECT_LE(pair.server.largest_datagram, 1200u);
}

TEST(DtlsRetransmit, LostFinalFlightIsResentWhenTheClientRepeatsItself) {
  DtlsPair pair(fast_timers());
  pair.client->start();
  // ClientHello -> server flight -> the client's second flight, queued.
  while (!pair.client.outbox.empty()) {
    auto d = pair.client.outbox.front();
    pair.client.outbox.pop_front();
    pair.server->feed(d);
  }
  while (!pair.server.outbox.empty()) {
    auto d = pair.server.outbox.front();
    pair.server.outbox.pop_front();
    pair.client->feed(d);
  }
  // Deliver the client's second flight; lose the server's answer (CCS, Finished).
  while (!pair.client.outbox.empty()) {
    auto d = pair.client.outbox.front();
    pair.client.outbox.pop_front();
    pair.server->feed(d);
  }
  ASSERT_EQ(pair.server->state(), DtlsState::kConnected);
  pair.server.outbox.clear();
  ASSERT_EQ(pair.client->state(), DtlsState::kConnecting);

  wait_for_timer(*pair.client);
  pair.client->on_timeout();  // the client resends; the server answers with its last flight
  pair.pump();
  EXPECT_EQ(pair.client->state(), DtlsState::kConnected);
}

}  // namespace
}  // namespace turnd::sfu::dtls

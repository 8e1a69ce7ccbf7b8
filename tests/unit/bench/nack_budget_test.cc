// Hostile NACKs through real DTLS/SRTP sessions (issue 11, class 5): a
// subscriber that asks for the same packets again and again, or for far more
// than it was sent, cannot make the SFU send more than its budget — a quarter
// of the bytes it received — nor the same packet twice within 100 ms.
#include <gtest/gtest.h>

#include <vector>

#include "bench/in_memory_room.h"

namespace turnd::sfu::bench {
namespace {

TEST(NackBudget, ASubscriberCannotMakeTheSfuResendMoreThanItsShare) {
  BrowserOptions options;
  Room room(2, options);
  room.capture(true);
  room.wire(1, Pc::kSubscriber).sink.datagrams.clear();
  // Alice (0) sends 40 video packets of ~1200 bytes; Bob (1) receives them.
  std::vector<uint16_t> sent;
  for (int i = 0; i < 40; ++i) {
    Packet p;
    p.participant = 0;
    sent.push_back(static_cast<uint16_t>(room.browser(0).sent(Media::kVideo)));
    p.length = room.browser(0).make_rtp(Media::kVideo, p.bytes);
    ASSERT_GT(p.length, 0u);
    room.deliver(p);
  }
  ASSERT_EQ(room.wire(1, Pc::kSubscriber).sink.datagrams.size(), 40u);
  const uint64_t received = room.wire(1, Pc::kSubscriber).sink.bytes;
  room.wire(1, Pc::kSubscriber).sink.datagrams.clear();
  const uint64_t before = room.wire(1, Pc::kSubscriber).sink.bytes;

  // Bob asks for all 40, ten times over.
  for (int round = 0; round < 10; ++round) {
    alignas(16) std::array<std::byte, 1500> nack{};
    size_t n = room.browser(1).make_nack(room.browser(0).ssrc(Media::kVideo), sent, nack);
    ASSERT_GT(n, 0u);
    room.to_sfu(1, Pc::kSubscriber, MutableBytes(nack.data(), n));
  }
  const uint64_t resent_bytes = room.wire(1, Pc::kSubscriber).sink.bytes - before;
  const auto& c = room.counters();
  EXPECT_GT(c.retransmitted, 0u);                // NACKs are answered ...
  EXPECT_LE(resent_bytes, received / 4 + 1500);  // ... within the budget ...
  EXPECT_LT(c.retransmitted, 40u);               // ... so not even each packet once
  EXPECT_GT(c.retransmissions_refused, 0u);      // the rest is refused and counted
  EXPECT_EQ(c.nacks, 10u);
}

}  // namespace
}  // namespace turnd::sfu::bench

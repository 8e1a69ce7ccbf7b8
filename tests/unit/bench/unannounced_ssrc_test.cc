// Tracks whose offer announces no SSRC (no a=ssrc: simulcast offers, or a
// browser that names streams by MID only), through real DTLS/SRTP sessions:
// the SFU learns each video SSRC from the first packet that carries the
// track's mid, offers the track to the others then, and forwards it.
#include <gtest/gtest.h>

#include "bench/in_memory_room.h"

namespace turnd::sfu::bench {
namespace {

TEST(UnannouncedSsrc, VideoNamedByItsMidReachesEveryone) {
  BrowserOptions options;
  options.announce_video_ssrc = false;
  Room room(3, options);  // throws unless every video was learned, offered and forwarded
  for (size_t i = 0; i < room.size(); ++i) {
    EXPECT_EQ(room.browser(i).offered_tracks(), 4u);
  }
  room.capture(true);
  room.wire(1, Pc::kSubscriber).sink.datagrams.clear();
  const uint64_t forwarded = room.counters().forwarded_packets;
  for (int i = 0; i < 10; ++i) {
    Packet p;
    p.participant = 0;
    p.length = room.browser(0).make_rtp(Media::kVideo, p.bytes);
    ASSERT_GT(p.length, 0u);
    room.deliver(p);
  }
  EXPECT_EQ(room.counters().forwarded_packets, forwarded + 20);  // to both others
  EXPECT_EQ(room.wire(1, Pc::kSubscriber).sink.datagrams.size(), 10u);
}

}  // namespace
}  // namespace turnd::sfu::bench

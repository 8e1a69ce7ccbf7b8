// Wrap-around comparisons and unwrapping of sequence numbers and timestamps.
#include "sfu/rtp/sequence.h"

#include <gtest/gtest.h>

namespace turnd::sfu::rtp {
namespace {

TEST(Sequence, IsNewerWithWrapAround) {
  EXPECT_TRUE(is_newer_sequence(1, 0));
  EXPECT_FALSE(is_newer_sequence(0, 1));
  EXPECT_FALSE(is_newer_sequence(5, 5));
  EXPECT_TRUE(is_newer_sequence(0, 65535));
  EXPECT_TRUE(is_newer_sequence(10, 65530));
  EXPECT_FALSE(is_newer_sequence(65535, 0));
  EXPECT_TRUE(is_newer_sequence(32767, 0));
  EXPECT_FALSE(is_newer_sequence(32769, 0));  // more than half ahead: behind
  // Exactly half apart: exactly one of the two is newer.
  EXPECT_TRUE(is_newer_sequence(32768, 0));
  EXPECT_FALSE(is_newer_sequence(0, 32768));
  EXPECT_TRUE(is_newer_timestamp(5, 0xFFFFFFF0u));
  EXPECT_FALSE(is_newer_timestamp(0xFFFFFFF0u, 5));
  static_assert(is_newer<uint8_t>(1, 255));
  EXPECT_EQ(forward_diff<uint16_t>(65535, 2), 3);
}

TEST(SeqUnwrapper, AcrossWrap) {
  SeqUnwrapper u;
  EXPECT_FALSE(u.last());
  EXPECT_EQ(u.unwrap(65533), 65533);
  EXPECT_EQ(u.unwrap(65535), 65535);
  EXPECT_EQ(u.unwrap(0), 65536);
  EXPECT_EQ(u.unwrap(1), 65537);
  EXPECT_EQ(u.unwrap(65534), 65534);  // reordered from before the wrap
  EXPECT_EQ(u.unwrap(2), 65538);
  EXPECT_EQ(u.unwrap(2), 65538);  // duplicate
  EXPECT_EQ(u.peek(3), 65539);
  EXPECT_EQ(*u.last(), 65538);
  // Many wraps forward in steps under half the space.
  for (int i = 0; i < 10; ++i) u.unwrap(static_cast<uint16_t>(2 + 30000 * (i + 1)));
  EXPECT_EQ(*u.last(), 65538 + 300000);
}

TEST(SeqUnwrapper, BackwardBeforeFirst) {
  SeqUnwrapper u;
  EXPECT_EQ(u.unwrap(0), 0);
  EXPECT_EQ(u.unwrap(65535), -1);
  u.reset();
  EXPECT_EQ(u.unwrap(7), 7);
}

TEST(TimestampUnwrapper, AcrossWrap) {
  TimestampUnwrapper u;
  EXPECT_EQ(u.unwrap(0xFFFFFF00u), 0xFFFFFF00ll);
  EXPECT_EQ(u.unwrap(0x00000100u), 0x100000100ll);
  EXPECT_EQ(u.unwrap(0xFFFFFFFFu), 0xFFFFFFFFll);
}

}  // namespace
}  // namespace turnd::sfu::rtp

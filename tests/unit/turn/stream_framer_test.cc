#include "turnd/turn/stream_framer.h"

#include <gtest/gtest.h>

#include "tests/unit/hex.h"

namespace turnd::turn {
namespace {

using test::from_hex;

TEST(StreamFramer, StunFrameLengthComesFromTheHeader) {
  auto bytes = from_hex("0001 0004 2112a442 000000000000000000000000 80220000");
  size_t length = 0;
  EXPECT_EQ(next_frame(Bytes(bytes).first(10), length), FrameStatus::kNeedMore);
  ASSERT_EQ(next_frame(bytes, length), FrameStatus::kFrame);
  EXPECT_EQ(length, 24u);
}

TEST(StreamFramer, ChannelDataIsPaddedToFourBytes) {
  auto bytes = from_hex("4001 0005 68656c6c6f 000000 4001");
  size_t length = 0;
  ASSERT_EQ(next_frame(bytes, length), FrameStatus::kFrame);
  EXPECT_EQ(length, 12u);
  EXPECT_EQ(next_frame(Bytes(bytes).first(9), length), FrameStatus::kNeedMore);
}

TEST(StreamFramer, AcceptsTheRfc5766ChannelRange) {
  auto bytes = from_hex("7fff 0000");
  size_t length = 0;
  ASSERT_EQ(next_frame(bytes, length), FrameStatus::kFrame);
  EXPECT_EQ(length, 4u);
}

TEST(StreamFramer, RejectsWhatIsNotTurn) {
  size_t length = 0;
  EXPECT_EQ(next_frame(from_hex("8000 0000"), length), FrameStatus::kInvalid);  // RTP-like
  EXPECT_EQ(next_frame(from_hex("0001 0101"), length), FrameStatus::kInvalid);  // length not 4n
  EXPECT_EQ(next_frame(from_hex("0001 0000 deadbeef"), length), FrameStatus::kInvalid);  // cookie
  EXPECT_EQ(next_frame(from_hex("00"), length), FrameStatus::kNeedMore);
}

}  // namespace
}  // namespace turnd::turn

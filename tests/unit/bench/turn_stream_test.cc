// The client side of TURN over TCP (bench/turn_stream.h): ChannelData
// written with RFC 5766 §11.5 padding, and a received stream cut back into
// the same frames however it was split.
#include "bench/turn_stream.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "turnd/stun/message.h"

namespace turnd::sfu::bench {
namespace {

std::vector<std::byte> channel_data(uint16_t channel, size_t payload) {
  std::vector<std::byte> frame(channel_data_frame_size(payload), std::byte{0xEE});
  for (size_t i = 0; i < payload; ++i) frame[4 + i] = std::byte(i + 1);
  EXPECT_EQ(finish_channel_data(frame.data(), channel, payload), frame.size());
  return frame;
}

TEST(TurnStream, ChannelDataIsPaddedWithZerosToFourBytes) {
  for (size_t payload : {0u, 1u, 2u, 3u, 4u, 5u, 1100u}) {
    std::vector<std::byte> frame = channel_data(0x4000, payload);
    EXPECT_EQ(frame.size(), 4 + (payload + 3) / 4 * 4) << payload;
    EXPECT_EQ(load_be16(frame.data()), 0x4000);
    EXPECT_EQ(load_be16(frame.data() + 2), payload);
    for (size_t i = 4 + payload; i < frame.size(); ++i) EXPECT_EQ(frame[i], std::byte{0});
    uint16_t channel = 0;
    MutableBytes body = channel_data_payload(frame, channel);
    EXPECT_EQ(channel, 0x4000);
    ASSERT_EQ(body.size(), payload);
    if (payload > 0) {
      EXPECT_EQ(body[payload - 1], std::byte(payload));
    }
  }
}

TEST(TurnStream, FramesSurviveAnySplitOfTheStream) {
  std::vector<std::vector<std::byte>> frames;
  std::array<std::byte, 64> buffer{};
  std::array<std::byte, stun::kTransactionIdSize> tid{};
  tid[0] = std::byte{7};
  stun::MessageBuilder b(buffer, stun::Method::kBinding, stun::MessageClass::kSuccessResponse, tid);
  b.add_u32(0x8022, 0x01020304);
  frames.emplace_back(b.bytes().begin(), b.bytes().end());
  for (size_t payload : {5u, 0u, 1200u, 3u, 4u}) frames.push_back(channel_data(0x4001, payload));
  std::vector<std::byte> stream;
  for (const auto& f : frames) stream.insert(stream.end(), f.begin(), f.end());

  for (size_t chunk : {1u, 3u, 7u, 64u, 5000u}) {
    ByteQueue queue(2048);
    std::vector<std::vector<std::byte>> seen;
    for (size_t at = 0; at < stream.size(); at += chunk) {
      size_t n = std::min(chunk, stream.size() - at);
      MutableBytes room = queue.room(n);
      ASSERT_FALSE(room.empty());
      std::copy_n(stream.begin() + static_cast<ptrdiff_t>(at), n, room.begin());
      queue.produce(n);
      ASSERT_TRUE(
          drain_frames(queue, [&](MutableBytes f) { seen.emplace_back(f.begin(), f.end()); }));
    }
    EXPECT_TRUE(queue.empty()) << chunk;
    EXPECT_EQ(seen, frames) << "chunks of " << chunk;
  }
}

TEST(TurnStream, SomethingElseThanTurnEndsTheStream) {
  ByteQueue queue(64);
  std::array<std::byte, 8> rtp{std::byte{0x80}, std::byte{0x60}};
  MutableBytes room = queue.room(rtp.size());
  std::copy(rtp.begin(), rtp.end(), room.begin());
  queue.produce(rtp.size());
  EXPECT_FALSE(drain_frames(queue, [](MutableBytes) {}));
}

TEST(TurnStream, AFullQueueOffersNoRoomUntilRead) {
  ByteQueue queue(16);
  ASSERT_EQ(queue.room(12).size(), 16u);
  queue.produce(12);
  EXPECT_TRUE(queue.room(8).empty());
  queue.consume(8);  // the front is read: the rest moves down
  MutableBytes room = queue.room(8);
  EXPECT_EQ(room.size(), 12u);
  EXPECT_EQ(queue.size(), 4u);
}

}  // namespace
}  // namespace turnd::sfu::bench

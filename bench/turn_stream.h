// The byte streams of TURN over TCP on the client's side (RFC 8656 §12.5,
// RFC 5766 §11.5): a bounded queue of bytes for each direction, ChannelData
// written with its 4-byte header and padding to a multiple of 4, and the
// received stream cut into whole frames (STUN messages and ChannelData)
// however the kernel split it. No I/O, no allocation after construction.
#pragma once

#include <cstring>
#include <vector>

#include "turnd/common/bytes.h"
#include "turnd/stun/constants.h"
#include "turnd/turn/stream_framer.h"

namespace turnd::sfu::bench {

// A FIFO of bytes in one fixed buffer; what is read is dropped from the
// front, and the rest moved down when room is needed at the back.
class ByteQueue {
 public:
  explicit ByteQueue(size_t capacity) : buffer_(capacity) {}

  Bytes data() const noexcept { return {buffer_.data() + head_, tail_ - head_}; }
  MutableBytes mutable_data() noexcept { return {buffer_.data() + head_, tail_ - head_}; }
  size_t size() const noexcept { return tail_ - head_; }
  bool empty() const noexcept { return head_ == tail_; }
  size_t capacity() const noexcept { return buffer_.size(); }

  // At least `wanted` bytes of room at the back (compacting if needed), or
  // an empty span when the queue cannot take that many now.
  MutableBytes room(size_t wanted) noexcept {
    if (buffer_.size() - tail_ < wanted && head_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + head_, tail_ - head_);
      tail_ -= head_;
      head_ = 0;
    }
    if (buffer_.size() - tail_ < wanted) return {};
    return {buffer_.data() + tail_, buffer_.size() - tail_};
  }
  void produce(size_t n) noexcept { tail_ += n; }
  void consume(size_t n) noexcept {
    head_ += n;
    if (head_ == tail_) head_ = tail_ = 0;
  }

 private:
  std::vector<std::byte> buffer_;
  size_t head_ = 0, tail_ = 0;
};

// Bytes a ChannelData frame of `payload` bytes takes on a stream.
constexpr size_t channel_data_frame_size(size_t payload) noexcept {
  return stun::kChannelDataHeaderSize + pad4(payload);
}

// Writes the header in front of a payload already at frame + 4 and zeroes
// the padding after it; returns the frame's size on the stream.
inline size_t finish_channel_data(std::byte* frame, uint16_t channel, size_t payload) noexcept {
  store_be16(frame, channel);
  store_be16(frame + 2, static_cast<uint16_t>(payload));
  size_t size = channel_data_frame_size(payload);
  std::memset(frame + stun::kChannelDataHeaderSize + payload, 0,
              size - stun::kChannelDataHeaderSize - payload);
  return size;
}

// Hands each whole frame at the front of `in` to fn(MutableBytes frame) and
// drops it; a partial frame stays for the next read. False when the stream
// is not TURN (the connection is then useless).
template <typename Fn>
bool drain_frames(ByteQueue& in, Fn&& fn) {
  for (;;) {
    size_t length = 0;
    switch (turn::next_frame(in.data(), length)) {
      case turn::FrameStatus::kNeedMore:
        return true;
      case turn::FrameStatus::kInvalid:
        return false;
      case turn::FrameStatus::kFrame:
        fn(in.mutable_data().first(length));
        in.consume(length);
        break;
    }
  }
}

// The payload of a ChannelData frame (without its padding) and its channel.
inline MutableBytes channel_data_payload(MutableBytes frame, uint16_t& channel) noexcept {
  channel = load_be16(frame.data());
  size_t length = load_be16(frame.data() + 2);
  return frame.subspan(stun::kChannelDataHeaderSize, length);
}

inline bool is_channel_data(Bytes frame) noexcept {
  return !frame.empty() && (static_cast<uint8_t>(frame[0]) & 0xC0) == 0x40;
}

}  // namespace turnd::sfu::bench

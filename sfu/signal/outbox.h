// A WebSocket connection's outgoing text messages, bounded in bytes: a client
// that stops reading is dropped instead of growing the server's memory.
// Each message is stored behind `headroom` spare bytes, the room
// libwebsockets' lws_write needs in front of a payload for the frame header
// (LWS_PRE), so writing needs no further copy. Signal thread only.
#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>

namespace turnd::sfu::signal {

class Outbox {
 public:
  Outbox(size_t headroom, size_t max_bytes) : headroom_(headroom), max_bytes_(max_bytes) {}

  // Queues `text`; false (nothing queued) when the queued payload bytes would
  // exceed max_bytes.
  bool push(std::string_view text);

  bool empty() const noexcept { return messages_.empty(); }
  size_t size() const noexcept { return messages_.size(); }
  size_t queued_bytes() const noexcept { return queued_bytes_; }

  // The oldest message: its payload, preceded in memory by `headroom`
  // writable bytes. Only when !empty().
  char* front_payload() noexcept { return messages_.front().data() + headroom_; }
  size_t front_size() const noexcept { return messages_.front().size() - headroom_; }
  void pop() noexcept;
  void clear() noexcept;

 private:
  size_t headroom_;
  size_t max_bytes_;
  size_t queued_bytes_ = 0;
  std::deque<std::string> messages_;
};

}  // namespace turnd::sfu::signal

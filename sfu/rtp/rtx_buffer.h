// RtxBuffer: the recent packets of one outgoing stream, kept so a NACK
// (RFC 4585 §6.2.1) can be answered with a retransmission (RFC 4588).
// Slots are preallocated at construction and indexed by sequence number
// modulo the capacity, so storing the newest packet overwrites the oldest
// and a lookup is one index. No allocation or exception after construction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "turnd/common/bytes.h"

namespace turnd::sfu::rtp {

class RtxBuffer {
 public:
  static constexpr size_t kDefaultMaxPacketSize = 1500;
  static constexpr size_t kMaxCapacity = 32768;  // half the sequence space

  // Keeps the packets of the last `capacity` sequence numbers (rounded up to
  // a power of two, between 1 and kMaxCapacity), each at most
  // `max_packet_size` bytes. Allocates capacity × max_packet_size bytes,
  // left untouched (not resident) until packets are stored: a muted track's
  // history costs address space, not memory.
  explicit RtxBuffer(size_t capacity, size_t max_packet_size = kDefaultMaxPacketSize);

  // Stores a copy of `packet` under `seq`. False, and nothing stored, when
  // the packet is larger than a slot or older than the window behind the
  // newest sequence number stored.
  bool store(uint16_t seq, Bytes packet) noexcept;
  // The stored copy of `seq`; empty when it was never stored, has been
  // overwritten or has fallen out of the window.
  Bytes find(uint16_t seq) const noexcept;
  // Forgets every packet (a new stream, or the sender restarted).
  void clear() noexcept;

  size_t capacity() const noexcept { return slots_.size(); }
  size_t max_packet_size() const noexcept { return slot_size_; }
  // Newest sequence number stored; meaningless while empty().
  uint16_t newest() const noexcept { return newest_; }
  bool empty() const noexcept { return !have_newest_; }

 private:
  struct Slot {
    uint16_t seq = 0;
    uint16_t length = 0;
    bool used = false;
  };
  bool in_window(uint16_t seq) const noexcept;

  std::vector<Slot> slots_;
  std::unique_ptr<std::byte[]> storage_;
  size_t slot_size_ = 0;
  bool have_newest_ = false;
  uint16_t newest_ = 0;
};

}  // namespace turnd::sfu::rtp

#include "sfu/rtp/rtx_buffer.h"

#include <algorithm>
#include <bit>

#include "sfu/rtp/sequence.h"

namespace turnd::sfu::rtp {

RtxBuffer::RtxBuffer(size_t capacity, size_t max_packet_size)
    : slots_(std::bit_ceil(std::clamp<size_t>(capacity, 1, kMaxCapacity))),
      storage_(std::make_unique_for_overwrite<std::byte[]>(
          slots_.size() * std::min<size_t>(max_packet_size, 0xFFFF))),
      slot_size_(std::min<size_t>(max_packet_size, 0xFFFF)) {}

bool RtxBuffer::in_window(uint16_t seq) const noexcept {
  return have_newest_ && static_cast<uint16_t>(newest_ - seq) < slots_.size();
}

bool RtxBuffer::store(uint16_t seq, Bytes packet) noexcept {
  if (packet.size() > slot_size_) return false;
  if (!have_newest_ || is_newer_sequence(seq, newest_)) {
    newest_ = seq;
    have_newest_ = true;
  } else if (!in_window(seq)) {
    return false;  // would overwrite a newer packet
  }
  const size_t index = seq & (slots_.size() - 1);
  Slot& slot = slots_[index];
  slot.seq = seq;
  slot.length = static_cast<uint16_t>(packet.size());
  slot.used = true;
  std::copy(packet.begin(), packet.end(), storage_.get() + index * slot_size_);
  return true;
}

Bytes RtxBuffer::find(uint16_t seq) const noexcept {
  if (!in_window(seq)) return {};
  const size_t index = seq & (slots_.size() - 1);
  const Slot& slot = slots_[index];
  if (!slot.used || slot.seq != seq) return {};
  return Bytes(storage_.get() + index * slot_size_, slot.length);
}

void RtxBuffer::clear() noexcept {
  std::fill(slots_.begin(), slots_.end(), Slot{});
  have_newest_ = false;
  newest_ = 0;
}

}  // namespace turnd::sfu::rtp

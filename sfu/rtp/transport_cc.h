// Transport-wide congestion control feedback (RTPFB FMT 15,
// draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): for a range of
// transport-wide sequence numbers, whether each packet arrived and when,
// as receive deltas in 250 µs ticks from a reference time in 64 ms units.
// Parsed in place: parse() checks every chunk and delta against the length.
#pragma once

#include <cstdint>

#include "sfu/rtp/rtcp_feedback.h"

namespace turnd::sfu::rtp {

enum class PacketStatus : uint8_t {
  kNotReceived = 0,
  kSmallDelta = 1,  // received, delta 0 .. 63.75 ms in one byte
  kLargeDelta = 2,  // received, delta negative or large, two signed bytes
};

inline constexpr int64_t kTransportCcDeltaUs = 250;
inline constexpr int64_t kTransportCcReferenceUs = 64'000;

class TransportCcView : public FeedbackView {
 public:
  static RtcpError parse(const RtcpPacketView& packet, TransportCcView& out) noexcept;

  uint16_t base_sequence() const noexcept { return load_be16(fci().data()); }
  uint16_t status_count() const noexcept { return load_be16(fci().data() + 2); }
  // 24-bit signed, in 64 ms.
  int32_t reference_time() const noexcept {
    return static_cast<int32_t>(load_be32(fci().data() + 4) & 0xFFFFFF00) >> 8;
  }
  int64_t reference_time_us() const noexcept {
    return int64_t{reference_time()} * kTransportCcReferenceUs;
  }
  // Counts feedback packets, so a sender can tell one was lost.
  uint8_t feedback_count() const noexcept { return static_cast<uint8_t>(fci()[7]); }

  // Calls fn(uint16_t seq, PacketStatus status, int32_t delta) for each of
  // the status_count() packets from base_sequence(); delta is in 250 µs
  // ticks since the previous received packet (the first: since the
  // reference time), 0 for packets not received.
  template <typename Fn>
  void for_each_packet(Fn&& fn) const noexcept;

 private:
  // Calls on_status(PacketStatus) for `count` statuses of the chunks in
  // `chunks`; returns the bytes of chunks read, or 0 when they run out or
  // carry the reserved symbol.
  template <typename Fn>
  static size_t walk_chunks(Bytes chunks, uint16_t count, Fn&& on_status) noexcept;

  size_t deltas_offset_ = 0;  // within fci()
};

// --- inline templates ----------------------------------------------------------

template <typename Fn>
size_t TransportCcView::walk_chunks(Bytes chunks, uint16_t count, Fn&& on_status) noexcept {
  size_t offset = 0;
  size_t left = count;
  while (left > 0) {
    if (offset + 2 > chunks.size()) return 0;
    const uint16_t chunk = load_be16(chunks.data() + offset);
    offset += 2;
    if ((chunk & 0x8000) == 0) {  // run length: 2-bit symbol, 13-bit length
      const unsigned symbol = (chunk >> 13) & 0x3;
      if (symbol == 3) return 0;
      size_t run = chunk & 0x1FFF;
      if (run == 0) return 0;
      for (; run > 0 && left > 0; --run, --left) on_status(static_cast<PacketStatus>(symbol));
    } else if ((chunk & 0x4000) == 0) {  // status vector of 14 one-bit symbols
      for (int bit = 13; bit >= 0 && left > 0; --bit, --left) {
        on_status(static_cast<PacketStatus>((chunk >> bit) & 0x1));
      }
    } else {  // status vector of 7 two-bit symbols
      for (int shift = 12; shift >= 0 && left > 0; shift -= 2, --left) {
        const unsigned symbol = (chunk >> shift) & 0x3;
        if (symbol == 3) return 0;
        on_status(static_cast<PacketStatus>(symbol));
      }
    }
  }
  return offset;
}

template <typename Fn>
void TransportCcView::for_each_packet(Fn&& fn) const noexcept {
  const Bytes f = fci();
  size_t delta_at = deltas_offset_;
  uint16_t seq = base_sequence();
  walk_chunks(f.subspan(8), status_count(), [&](PacketStatus status) {
    int32_t delta = 0;
    if (status == PacketStatus::kSmallDelta) {
      delta = static_cast<uint8_t>(f[delta_at]);
      delta_at += 1;
    } else if (status == PacketStatus::kLargeDelta) {
      delta = static_cast<int16_t>(load_be16(f.data() + delta_at));
      delta_at += 2;
    }
    fn(seq, status, delta);
    seq = static_cast<uint16_t>(seq + 1);
  });
}

}  // namespace turnd::sfu::rtp

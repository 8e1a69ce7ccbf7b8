#include "sfu/rtp/transport_feedback.h"

#include <algorithm>

#include "sfu/rtp/rtcp.h"
#include "sfu/rtp/rtcp_feedback.h"
#include "sfu/rtp/transport_cc.h"

namespace turnd::sfu::rtp {
namespace {

constexpr size_t kFciFixed = 8;             // base, count, reference time, feedback count
constexpr size_t kSymbolsPerChunk = 7;      // two-bit status vector chunks
constexpr size_t kMaxStatusCount = 0xFFFF;  // the 16-bit packet status count
constexpr int64_t kMaxLargeDelta = 0x7FFF;  // in 250 µs ticks
constexpr int64_t kMinLargeDelta = -0x8000;

// The delta in 250 µs ticks, rounded down (also for negative values).
int64_t ticks(int64_t microseconds) noexcept {
  return microseconds >= 0 ? microseconds / kTransportCcDeltaUs
                           : -((-microseconds + kTransportCcDeltaUs - 1) / kTransportCcDeltaUs);
}

}  // namespace

void TransportFeedback::on_packet(uint16_t seq, int64_t arrival_us) noexcept {
  if (!started_) {
    started_ = true;
    origin_us_ = arrival_us;
    next_ = seq;
    highest_ = seq - 1;
    arrival_.fill(kNotReceived);
  }
  // Unwrap against the highest seen (or the next to report, before any).
  const int64_t anchor = highest_ >= next_ ? highest_ : next_;
  const int64_t extended = anchor + static_cast<int16_t>(seq - static_cast<uint16_t>(anchor));
  if (extended < next_) return;  // already reported as lost
  if (extended > highest_) {
    // The packets between were not received (yet): clear their slots.
    const int64_t from = std::max(highest_ + 1, extended - static_cast<int64_t>(kWindow) + 1);
    for (int64_t e = from; e < extended; ++e) slot(e) = kNotReceived;
    highest_ = extended;
    next_ = std::max(next_, highest_ - static_cast<int64_t>(kWindow) + 1);
  }
  slot(extended) = std::max<int64_t>(arrival_us - origin_us_, 0);
}

size_t TransportFeedback::build(MutableBytes out, uint32_t sender_ssrc,
                                uint32_t media_ssrc) noexcept {
  if (!pending()) return 0;
  int64_t first_received = next_;
  while (slot(first_received) == kNotReceived) ++first_received;  // highest_ is received
  const int64_t reference = slot(first_received) / kTransportCcReferenceUs;
  int64_t previous_us = reference * kTransportCcReferenceUs;

  // Room for the worst case of `count` packets: a chunk per 7 and 2 bytes each.
  const size_t room = out.size() < kFeedbackHeaderSize + kFciFixed + 4
                          ? 0
                          : out.size() - kFeedbackHeaderSize - kFciFixed - 4;
  size_t limit = std::min<size_t>(static_cast<size_t>(highest_ - next_ + 1), kMaxStatusCount);
  limit = std::min(limit, room * kSymbolsPerChunk / (2 + 2 * kSymbolsPerChunk));
  if (limit == 0) return 0;

  std::byte* fci = out.data() + kFeedbackHeaderSize;
  const size_t chunk_bytes_max = 2 * ((limit + kSymbolsPerChunk - 1) / kSymbolsPerChunk);
  std::byte* deltas = fci + kFciFixed + chunk_bytes_max;
  size_t delta_bytes = 0;
  size_t count = 0;
  uint16_t chunk = 0;
  size_t in_chunk = 0;
  std::byte* chunks = fci + kFciFixed;
  auto put_symbol = [&](PacketStatus status) {
    chunk |= static_cast<uint16_t>(static_cast<unsigned>(status) << (12 - 2 * in_chunk));
    if (++in_chunk == kSymbolsPerChunk) {
      store_be16(chunks, static_cast<uint16_t>(0xC000 | chunk));
      chunks += 2;
      chunk = 0;
      in_chunk = 0;
    }
  };
  for (; count < limit; ++count) {
    const int64_t arrival = slot(next_ + static_cast<int64_t>(count));
    if (arrival == kNotReceived) {
      put_symbol(PacketStatus::kNotReceived);
      continue;
    }
    const int64_t delta = ticks(arrival - previous_us);
    if (delta >= 0 && delta <= 0xFF) {
      put_symbol(PacketStatus::kSmallDelta);
      deltas[delta_bytes++] = static_cast<std::byte>(delta);
    } else if (delta >= kMinLargeDelta && delta <= kMaxLargeDelta) {
      put_symbol(PacketStatus::kLargeDelta);
      store_be16(deltas + delta_bytes, static_cast<uint16_t>(static_cast<int16_t>(delta)));
      delta_bytes += 2;
    } else {
      break;  // this one starts the next feedback, with its own reference time
    }
    previous_us += delta * kTransportCcDeltaUs;
  }
  if (in_chunk != 0) {
    store_be16(chunks, static_cast<uint16_t>(0xC000 | chunk));
    chunks += 2;
  }
  // The deltas were written after room for every chunk; close the gap.
  const size_t chunk_bytes = static_cast<size_t>(chunks - (fci + kFciFixed));
  std::copy(deltas, deltas + delta_bytes, fci + kFciFixed + chunk_bytes);

  const size_t unpadded = kFeedbackHeaderSize + kFciFixed + chunk_bytes + delta_bytes;
  const size_t padding = (4 - unpadded % 4) % 4;
  const size_t size = unpadded + padding;
  std::byte* p = out.data();
  write_rtcp_header(p, kFmtTransportCc, kRtcpRtpfb, size);
  if (padding != 0) {  // RFC 3550 padding, as libwebrtc writes it: P bit, count last
    p[0] |= std::byte{0x20};
    std::fill(p + unpadded, p + size - 1, std::byte{0});
    p[size - 1] = static_cast<std::byte>(padding);
  }
  store_be32(p + 4, sender_ssrc);
  store_be32(p + 8, media_ssrc);
  store_be16(fci, static_cast<uint16_t>(next_));
  store_be16(fci + 2, static_cast<uint16_t>(count));
  store_be32(fci + 4, (static_cast<uint32_t>(reference) << 8) | feedback_count_);
  ++feedback_count_;
  ++feedback_sent_;
  next_ += static_cast<int64_t>(count);
  return size;
}

}  // namespace turnd::sfu::rtp

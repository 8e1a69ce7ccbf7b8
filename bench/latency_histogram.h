// One-way delay of forwarded media in the load benchmarks: publishers stamp
// CLOCK_MONOTONIC (the same clock in every process of the machine) into the
// RTP payload before SRTP, subscribers read it back after decrypting and
// record the difference here. Fixed 10 µs buckets up to 250 ms and one
// overflow bucket: recording neither allocates nor locks.
#pragma once

#include <time.h>

#include <array>
#include <cstdint>

#include "turnd/common/bytes.h"

namespace turnd::sfu::bench {

inline int64_t monotonic_ns() noexcept {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

class LatencyHistogram {
 public:
  static constexpr int64_t kBucketNs = 10'000;
  static constexpr size_t kBuckets = 25'000;  // 250 ms

  void record(int64_t delay_ns) noexcept {
    if (delay_ns < 0) {
      ++invalid_;
      return;
    }
    auto b = static_cast<size_t>(delay_ns / kBucketNs);
    ++buckets_[b < kBuckets ? b : kBuckets];
    ++count_;
  }
  void reset() noexcept { *this = LatencyHistogram(); }

  uint64_t count() const noexcept { return count_; }
  uint64_t invalid() const noexcept { return invalid_; }
  // The delay below which `fraction` (0..1) of the samples lie, in
  // microseconds (bucket's upper edge); -1 without samples, 250000+ when
  // it falls in the overflow bucket.
  double percentile_us(double fraction) const noexcept {
    if (count_ == 0) return -1;
    auto wanted = static_cast<uint64_t>(fraction * static_cast<double>(count_));
    if (wanted >= count_) wanted = count_ - 1;
    uint64_t seen = 0;
    for (size_t b = 0; b <= kBuckets; ++b) {
      seen += buckets_[b];
      if (seen > wanted) return static_cast<double>((b + 1) * kBucketNs) / 1000.0;
    }
    return static_cast<double>((kBuckets + 1) * kBucketNs) / 1000.0;
  }

 private:
  std::array<uint64_t, kBuckets + 1> buckets_{};
  uint64_t count_ = 0;
  uint64_t invalid_ = 0;
};

// Where the stamp lives in a plain RTP packet: 8 bytes, big-endian, one
// byte into the payload (after the VP8 descriptor / Opus TOC byte), past
// the CSRCs and header extensions whatever the SFU rewrote. 0 when the
// packet is too short to carry one.
inline size_t send_stamp_offset(Bytes rtp) noexcept {
  if (rtp.size() < 12) return 0;
  auto first = static_cast<uint8_t>(rtp[0]);
  size_t offset = 12 + 4 * static_cast<size_t>(first & 0x0F);
  if ((first & 0x10) != 0) {
    if (rtp.size() < offset + 4) return 0;
    offset += 4 + 4 * static_cast<size_t>(load_be16(rtp.data() + offset + 2));
  }
  offset += 1;
  return rtp.size() >= offset + 8 ? offset : 0;
}

inline void store_be64(std::byte* p, uint64_t v) noexcept {
  store_be32(p, static_cast<uint32_t>(v >> 32));
  store_be32(p + 4, static_cast<uint32_t>(v));
}
inline uint64_t load_be64(const std::byte* p) noexcept {
  return (static_cast<uint64_t>(load_be32(p)) << 32) | load_be32(p + 4);
}

}  // namespace turnd::sfu::bench

// Per-source reception statistics for receiver reports: sequence validation
// and extended highest sequence number (RFC 3550 §A.1), cumulative and
// fractional loss (§A.3) and interarrival jitter (§A.8). Updated once per
// packet with a few integer operations; no allocation.
#pragma once

#include <cstdint>

#include "sfu/rtp/rtcp.h"

namespace turnd::sfu::rtp {

class ReceiveStats {
 public:
  static constexpr uint32_t kMaxDropout = 3000;
  static constexpr uint32_t kMaxMisorder = 100;
  static constexpr uint32_t kMinSequential = 2;

  // `clock_rate`: the RTP timestamp rate of the source's payload (48000 for
  // Opus, 90000 for video), used to express arrival times in its units.
  explicit ReceiveStats(uint32_t clock_rate) noexcept : clock_rate_(clock_rate) {}

  // A packet of this source arrived at `arrival_us` (any monotonic clock, in
  // microseconds). Returns false while the source is on probation (the first
  // kMinSequential - 1 packets) and for a packet after a very large jump in
  // sequence numbers, which §A.1 does not count until the next one confirms it.
  bool on_packet(uint16_t seq, uint32_t rtp_timestamp, int64_t arrival_us) noexcept;

  // A sender report of this source arrived: its NTP timestamp becomes the
  // LSR of the next report blocks, and DLSR counts from `arrival_us`.
  void on_sender_report(uint64_t ntp_timestamp, int64_t arrival_us) noexcept;

  // A report block on this source as of `now_us`. Starts a new interval for
  // fraction_lost (§A.3): call it once per receiver report sent.
  ReportBlock report_block(uint32_t ssrc, int64_t now_us) noexcept;

  bool valid() const noexcept { return probation_ == 0 && started_; }
  uint32_t extended_highest_sequence() const noexcept { return cycles_ + max_seq_; }
  uint32_t expected() const noexcept { return extended_highest_sequence() - base_seq_ + 1; }
  uint32_t received() const noexcept { return received_; }
  // Expected minus received, clamped to the report block's 24 signed bits;
  // negative with duplicates.
  int32_t cumulative_lost() const noexcept;
  // Interarrival jitter in timestamp units.
  uint32_t jitter() const noexcept { return jitter_q4_ >> 4; }

 private:
  void init_sequence(uint16_t seq) noexcept;
  // §A.1 update_seq; `advanced` is set when seq became the new highest.
  bool update_sequence(uint16_t seq, bool& advanced) noexcept;
  void update_jitter(uint32_t rtp_timestamp, int64_t arrival_us) noexcept;

  uint32_t clock_rate_;
  bool started_ = false;
  uint16_t max_seq_ = 0;
  uint32_t cycles_ = 0;  // count of wraps, shifted left by 16
  uint32_t base_seq_ = 0;
  uint32_t bad_seq_ = 0;
  uint32_t probation_ = 0;
  uint32_t received_ = 0;
  uint32_t expected_prior_ = 0;
  uint32_t received_prior_ = 0;
  bool have_transit_ = false;
  uint32_t transit_ = 0;    // arrival - timestamp, modulo 2^32
  uint32_t jitter_q4_ = 0;  // jitter × 16
  bool have_sr_ = false;
  uint32_t last_sr_ = 0;
  int64_t last_sr_arrival_us_ = 0;
};

}  // namespace turnd::sfu::rtp

#include "sfu/rtp/receive_stats.h"

#include <algorithm>

#include "sfu/rtp/rtcp_reports.h"

namespace turnd::sfu::rtp {

namespace {
constexpr uint32_t kSeqMod = 1u << 16;
}  // namespace

void ReceiveStats::init_sequence(uint16_t seq) noexcept {
  base_seq_ = seq;
  max_seq_ = seq;
  bad_seq_ = kSeqMod + 1;  // so that seq == bad_seq_ is false
  cycles_ = 0;
  received_ = 0;
  received_prior_ = 0;
  expected_prior_ = 0;
}

bool ReceiveStats::update_sequence(uint16_t seq, bool& advanced) noexcept {
  advanced = false;
  if (!started_) {  // first packet of the source (§A.1, before update_seq)
    started_ = true;
    init_sequence(seq);
    max_seq_ = static_cast<uint16_t>(seq - 1);
    probation_ = kMinSequential;
  }
  const auto udelta = static_cast<uint16_t>(seq - max_seq_);
  if (probation_ > 0) {
    if (seq == static_cast<uint16_t>(max_seq_ + 1)) {  // in sequence
      --probation_;
      max_seq_ = seq;
      if (probation_ == 0) {
        init_sequence(seq);
        ++received_;
        advanced = true;
        return true;
      }
    } else {
      probation_ = kMinSequential - 1;
      max_seq_ = seq;
    }
    return false;
  }
  if (udelta < kMaxDropout) {  // in order, with a permissible gap
    if (udelta != 0) {
      if (seq < max_seq_) cycles_ += kSeqMod;
      max_seq_ = seq;
      advanced = true;
    }
  } else if (udelta <= kSeqMod - kMaxMisorder) {  // a very large jump
    if (seq != bad_seq_) {
      bad_seq_ = (seq + 1u) & (kSeqMod - 1);
      return false;
    }
    // Two sequential packets: the source restarted without telling us.
    init_sequence(seq);
    advanced = true;
  }
  // else: duplicate or reordered packet
  ++received_;
  return true;
}

void ReceiveStats::update_jitter(uint32_t rtp_timestamp, int64_t arrival_us) noexcept {
  // In the source's timestamp units, modulo 2^32 (split so it cannot overflow).
  const auto us = static_cast<uint64_t>(arrival_us);
  const auto arrival = static_cast<uint32_t>((us / 1'000'000u) * clock_rate_ +
                                             (us % 1'000'000u) * clock_rate_ / 1'000'000u);
  const uint32_t transit = arrival - rtp_timestamp;
  if (have_transit_) {
    auto d = static_cast<int32_t>(transit - transit_);
    const uint32_t magnitude = d < 0 ? 0u - static_cast<uint32_t>(d) : static_cast<uint32_t>(d);
    // J += (|D| - J) / 16, with J kept × 16 (§A.8).
    jitter_q4_ += magnitude - ((jitter_q4_ + 8) >> 4);
  }
  transit_ = transit;
  have_transit_ = true;
}

bool ReceiveStats::on_packet(uint16_t seq, uint32_t rtp_timestamp, int64_t arrival_us) noexcept {
  bool advanced = false;
  const bool counted = update_sequence(seq, advanced);
  // Jitter from packets in sending order only: a reordered or retransmitted
  // packet's transit time says nothing about the network's jitter.
  if (counted && advanced) update_jitter(rtp_timestamp, arrival_us);
  return counted;
}

void ReceiveStats::on_sender_report(uint64_t ntp_timestamp, int64_t arrival_us) noexcept {
  have_sr_ = true;
  last_sr_ = compact_ntp(ntp_timestamp);
  last_sr_arrival_us_ = arrival_us;
}

int32_t ReceiveStats::cumulative_lost() const noexcept {
  if (!valid()) return 0;
  const int64_t lost = int64_t{expected()} - int64_t{received_};
  return static_cast<int32_t>(std::clamp<int64_t>(lost, -0x800000, 0x7FFFFF));
}

ReportBlock ReceiveStats::report_block(uint32_t ssrc, int64_t now_us) noexcept {
  ReportBlock block;
  block.ssrc = ssrc;
  if (valid()) {
    const uint32_t expected_now = expected();
    const uint32_t expected_interval = expected_now - expected_prior_;
    const uint32_t received_interval = received_ - received_prior_;
    expected_prior_ = expected_now;
    received_prior_ = received_;
    const int64_t lost_interval = int64_t{expected_interval} - int64_t{received_interval};
    if (expected_interval != 0 && lost_interval > 0) {
      // All lost would be 256/256: the 8-bit field saturates.
      block.fraction_lost =
          static_cast<uint8_t>(std::min<int64_t>(255, (lost_interval << 8) / expected_interval));
    }
    block.cumulative_lost = cumulative_lost();
    block.extended_highest_sequence = extended_highest_sequence();
  }
  block.jitter = jitter();
  if (have_sr_) {
    block.last_sr = last_sr_;
    const int64_t elapsed_us = std::max<int64_t>(0, now_us - last_sr_arrival_us_);
    block.delay_since_last_sr = static_cast<uint32_t>((elapsed_us << 16) / 1'000'000);
  }
  return block;
}

}  // namespace turnd::sfu::rtp

// TransportFeedback: the receiving side of transport-wide congestion control
// (draft-holmer-rmcat-transport-wide-cc-extensions-01). A publisher's browser
// numbers every packet of its transport (the transport-wide-cc header
// extension); the SFU records when each arrived and reports it back, every
// 50-100 ms, as RTPFB FMT 15 feedback. The browser's own estimator (GCC)
// then sees delay growth and loss on the uplink and sets its bitrate.
//
// Arrival times live in a fixed ring indexed by sequence number: recording
// a packet is a few integer operations, no allocation. Packets older than
// what was already reported are ignored (the browser counted them lost);
// more than kWindow unreported packets push the oldest out unreported.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "turnd/common/bytes.h"

namespace turnd::sfu::rtp {

class TransportFeedback {
 public:
  static constexpr size_t kWindow = 2048;  // a power of two

  // A packet with transport-wide sequence number `seq` arrived at
  // `arrival_us` (a monotonic clock in microseconds).
  void on_packet(uint16_t seq, int64_t arrival_us) noexcept;

  // Something arrived that was not reported yet.
  bool pending() const noexcept { return next_ <= highest_; }

  // Builds one feedback packet (with its sender and media SSRC) for the
  // packets since the last one into `out` and returns its size; 0 when
  // nothing is pending or `out` is too small. A packet whose delta does not
  // fit (a pause of more than 8 s) starts the next feedback, so call again
  // while pending().
  size_t build(MutableBytes out, uint32_t sender_ssrc, uint32_t media_ssrc) noexcept;

  uint64_t feedback_sent() const noexcept { return feedback_sent_; }

 private:
  static constexpr int64_t kNotReceived = -1;
  int64_t& slot(int64_t extended) noexcept { return arrival_[extended & (kWindow - 1)]; }

  std::array<int64_t, kWindow> arrival_{};  // µs since origin_, or kNotReceived
  bool started_ = false;
  int64_t origin_us_ = 0;  // the first arrival: keeps times small and positive
  int64_t next_ = 0;       // extended sequence number of the first unreported packet
  int64_t highest_ = -1;   // extended sequence number of the highest received
  uint8_t feedback_count_ = 0;
  uint64_t feedback_sent_ = 0;
};

}  // namespace turnd::sfu::rtp

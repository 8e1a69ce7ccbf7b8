// What the SFU tells each publisher about its uplink, so the browser's
// bitrate follows what the network and the subscribers can carry:
//
// - transport-wide feedback (every timer tick, ~50 ms): the arrival time of
//   every packet, from which the browser's own estimator (GCC) sees queueing
//   delay and loss and ramps its bitrate up or down;
// - receiver reports (every second): loss, jitter and LSR/DLSR per stream,
//   for the browser's loss statistics and round-trip time;
// - REMB (every second): a ceiling, remb_bitrate per video track.
//
// Subscribers' own REMB (their browsers' receive-side estimate) is not used
// as a cap: it follows what they receive, so capping a publisher by it would
// hold the publisher at its current rate and stop the ramp-up (measured with
// Chromium: 150 kbit/s). Adapting to one slow subscriber without slowing the
// others needs simulcast or SVC layers (not built).
#include <array>
#include <chrono>

#include "sfu/conference/conference_state.h"
#include "sfu/rtp/header_extensions.h"
#include "sfu/rtp/rtcp_feedback.h"
#include "sfu/rtp/rtcp_reports.h"

namespace turnd::sfu::conference {
namespace {

constexpr uint32_t kSfuSsrc = 1;  // the sender SSRC of the SFU's own RTCP
constexpr auto kReportInterval = std::chrono::milliseconds(1000);
constexpr auto kRembInterval = std::chrono::milliseconds(1000);

}  // namespace

void Conference::record_arrival(Participant& p, const rtp::RtpPacketView& packet,
                                int64_t arrival_us) noexcept {
  if (!p.arrivals) return;
  auto value = packet.find_extension(p.transport_cc_id);
  if (!value) return;
  if (auto seq = rtp::read_transport_sequence(*value)) p.arrivals->on_packet(*seq, arrival_us);
}

void Conference::send_feedback(Participant& p, SteadyTime now) noexcept {
  if (!p.publisher) return;
  send_transport_feedback(p);
  if (now - p.last_report >= kReportInterval) {
    p.last_report = now;
    send_receiver_report(p, now);
  }
  if (now - p.last_remb >= kRembInterval) {
    p.last_remb = now;
    send_remb(p);
  }
}

void Conference::send_transport_feedback(Participant& p) noexcept {
  if (!p.arrivals || p.producers.empty()) return;
  const uint32_t media_ssrc = p.producers.front()->media.ssrc;
  for (int i = 0; i < 4 && p.arrivals->pending(); ++i) {  // a long pause may need two
    size_t n = p.arrivals->build(MutableBytes(scratch_).first(1200), kSfuSsrc, media_ssrc);
    if (n == 0 || !p.publisher->send_rtcp(scratch_, n)) return;
    counters_.transport_feedback++;
  }
}

void Conference::send_receiver_report(Participant& p, SteadyTime now) noexcept {
  std::array<rtp::ReportBlock, kMaxTracks> blocks{};
  size_t count = 0;
  for (auto& producer : p.producers) {
    if (!producer->stats.valid() || count == blocks.size()) continue;
    blocks[count++] = producer->stats.report_block(producer->media.ssrc, microseconds_of(now));
  }
  if (count == 0) return;
  size_t n = rtp::build_receiver_report(scratch_, kSfuSsrc,
                                        std::span<const rtp::ReportBlock>(blocks.data(), count));
  if (n != 0 && p.publisher->send_rtcp(scratch_, n)) counters_.receiver_reports++;
}

void Conference::send_remb(Participant& p) noexcept {
  std::array<uint32_t, kMaxTracks> ssrcs{};
  size_t count = 0;
  for (auto& producer : p.producers) {
    if (producer->track.kind == MediaKind::kVideo && producer->media.ssrc != 0 &&
        count < ssrcs.size()) {
      ssrcs[count++] = producer->media.ssrc;
    }
  }
  if (count == 0) return;
  size_t n = rtp::build_remb(scratch_, kSfuSsrc, options_.remb_bitrate * count,
                             std::span<const uint32_t>(ssrcs.data(), count));
  if (n != 0 && p.publisher->send_rtcp(scratch_, n)) counters_.rembs++;
}

}  // namespace turnd::sfu::conference

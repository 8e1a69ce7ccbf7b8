// The participants of the load run: N simulated browsers (bench/sfu_browser.h),
// each with two transports (publisher and subscriber PeerConnection: UDP
// sockets to the SFU, or TURN over TCP, bench/pc_transport.h), all driven by
// one thread. Setup joins them through the control channel (the SFU
// process's signalling), answers the offers, waits for the transports (TURN
// allocations), then runs ICE checks and the DTLS handshakes over them. The media phase
// sends, per participant, Opus-like audio every 20 ms and a VP8-like frame
// of video packets every 1/fps s (staggered across participants), receives
// and decrypts what the SFU forwards (recording each packet's one-way delay
// from the send time stamped in its payload), and refreshes ICE consent
// every 5 s.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "bench/latency_histogram.h"
#include "bench/pc_transport.h"
#include "bench/sfu_browser.h"

namespace turnd::sfu::bench {

struct LoadOptions {
  int participants = 2;
  double seconds = 10;  // media phase
  int audio_pps = 50;
  size_t audio_bytes = 100;
  int video_pps = 300;
  size_t video_bytes = 1100;
  int fps = 30;
  // How many participants (the first ones) send media; the others join with
  // their tracks, muted, and only receive (a lecture, a large meeting). 0: all.
  int publishers = 0;
  size_t verify_every = 1;  // decrypt every n-th received RTP packet (1: all)
  double setup_timeout = 60;
  uint32_t ice_priority = BrowserOptions::kHostPriority;  // kRelayTcpPriority behind TURN
};

struct LoadResult {
  double media_seconds = 0;   // from the first media packet to the last
  uint64_t published = 0;     // RTP packets the publishers sent
  uint64_t expected = 0;      // what the subscribers should have received
  uint64_t received = 0;      // what they did receive (decrypted or counted)
  uint64_t srtp_errors = 0;   // at the subscribers
  int64_t client_cpu_ns = 0;  // this thread, media phase
  uint64_t client_drops = 0;  // kernel drops on the participants' sockets
  uint64_t send_drops = 0;    // datagrams the participants' transports could not take
};

class LoadRoom {
 public:
  using Clock = std::chrono::steady_clock;

  // Makes the transport of one participant's PeerConnection (the same
  // MacContext serves every TURN client: one thread).
  using TransportFactory =
      std::function<std::unique_ptr<PcTransport>(int participant, Pc pc, stun::MacContext& mac)>;

  // `control_fd`: the SFU process's control channel. Throws
  // std::runtime_error (sockets, OpenSSL).
  LoadRoom(int control_fd, const TransportFactory& transports, const LoadOptions& options);
  ~LoadRoom();

  // Joins, SDP, ICE and DTLS for everyone; throws on timeout or refusal.
  void setup();
  // The SFU process's counters (answers signalling that arrives meanwhile).
  nlohmann::json stats();
  void run(LoadResult& result);
  // Local UDP ports of the participants' sockets (none behind TURN).
  std::vector<uint16_t> ports() const;
  // One-way delays of the packets decrypted during run().
  const LatencyHistogram& latency() const noexcept { return *latency_; }

 private:
  struct Member;
  void poll_once(Clock::duration max_wait);
  void on_control();
  void handle(const nlohmann::json& frame);
  void send_due(Member& m, Clock::time_point now);
  Clock::time_point next_due() const;
  bool settled() const;
  bool connected() const;
  bool transports_ready() const;

  int control_fd_;
  LoadOptions options_;
  srtp::SrtpLibrary srtp_;
  stun::MacContext mac_;
  std::vector<std::unique_ptr<Member>> members_;
  std::vector<nlohmann::json> stats_replies_;
  std::unique_ptr<LatencyHistogram> latency_;
  Clock::duration audio_interval_, frame_interval_;
  int packets_per_frame_;
};

}  // namespace turnd::sfu::bench

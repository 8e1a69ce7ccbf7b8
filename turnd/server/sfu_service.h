// SfuService: the SFU in the daemon (docs/SFU.md). Two threads of its own:
//
//   media thread   libevent loop: the UDP media socket (sfu-ip:sfu-port)
//                  -> MediaEndpoint -> WebRtcTransports -> Conference;
//                  the conference's timers; participation events out
//   signal thread  libwebsockets (HTTPS + WSS on web-port): its messages are
//                  posted to the media thread, replies go back through
//                  SignalServer::send (thread-safe)
//
// and code-checking threads (scrypt) in a ScryptCodeVerifier.
// Rooms come from the store: replace_rooms() swaps the cached directory (any
// thread).
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sfu/conference/conference.h"
#include "sfu/conference/room_directory.h"
#include "sfu/conference/scrypt_code_verifier.h"
#include "sfu/dtls/dtls_certificate.h"
#include "sfu/dtls/dtls_context.h"
#include "sfu/router/media_endpoint.h"
#include "sfu/signal/signal_server.h"
#include "sfu/srtp/srtp_library.h"
#include "turnd/config/config.h"
#include "turnd/net/datagram_io.h"
#include "turnd/net/event_loop.h"
#include "turnd/net/stream_listener.h"
#include "turnd/net/udp_listener.h"
#include "turnd/server/session_log_queue.h"
#include "turnd/server/sfu_bridge.h"

namespace turnd::server {

// Read by /metrics: relaxed snapshots the media thread writes every 50 ms.
struct SfuGauges {
  std::atomic<uint64_t> rooms{0}, participants{0}, forwarded_packets{0}, forwarded_bytes{0},
      nacks{0}, retransmitted{0}, plis{0}, joins{0}, refused_joins{0}, throttled_joins{0},
      busy_joins{0}, retransmissions_refused{0}, web_refused_connections{0}, web_flooding_closed{0},
      transport_feedback{0}, receiver_reports{0}, rembs{0};
};

// Why the SFU cannot run with `c`, or empty when it can.
std::string sfu_disabled_reason(const config::Config& c);
// The SFU's media addresses: as bound and as announced (external-ip).
std::vector<SocketAddress> sfu_media_addresses(const config::Config& c);

class SfuService final : public sfu::signal::SignalHandler, public sfu::conference::SignalOut {
 public:
  // Binds the media socket and the web port now; throws std::runtime_error.
  // `turn_secret`: for the browsers' TURN credentials (empty: none).
  // `bridge` (may be null): the in-process relay from the TURN workers.
  SfuService(const config::Config& c, const Clock& clock, std::string turn_secret,
             SessionLogQueue* participation_log, SfuBridge* bridge);
  ~SfuService() override;

  void start();
  void stop();  // then join: the conference ends everyone's visit as 'shutdown'
  void replace_rooms(std::vector<db::Room> rooms) { rooms_.replace(std::move(rooms)); }

  const SfuGauges& gauges() const noexcept { return gauges_; }
  const SfuBridge* bridge() const noexcept { return bridge_; }
  // When the media thread last ran its timer (steady clock): /healthz and the
  // watchdog treat a silent media thread like a hung worker.
  SteadyTime last_heartbeat() const noexcept {
    return SteadyTime(SteadyTime::duration(heartbeat_.load(std::memory_order_relaxed)));
  }

  // Takes the web's connections from TURN's workers when they accept them
  // (config::web_accepted_by_workers).
  net::WebDoor& web_door() noexcept { return *signal_; }

  // sfu::signal::SignalHandler (signal thread)
  void on_open(sfu::signal::ConnectionId id, const SocketAddress& peer,
               const std::string& page_host) override;
  void on_message(sfu::signal::ConnectionId id, std::string text) override;
  void on_close(sfu::signal::ConnectionId id) override;
  // sfu::conference::SignalOut (media thread)
  void send(sfu::conference::ConnectionId id, std::string text) override;
  void close(sfu::conference::ConnectionId id) override;

 private:
  void on_participation(const sfu::conference::ParticipationEvent& e);
  void publish_gauges();

  const Clock& clock_;
  SessionLogQueue* participation_log_;
  SfuBridge* bridge_;
  net::EventBase base_;
  net::DatagramIo io_;
  sfu::srtp::SrtpLibrary srtp_;
  sfu::dtls::DtlsCertificate certificate_;
  sfu::dtls::DtlsContext dtls_;
  stun::MacContext mac_;
  sfu::router::MediaEndpoint endpoint_;
  sfu::conference::RoomDirectory rooms_;
  std::unique_ptr<sfu::conference::ScryptCodeVerifier> codes_;
  std::unique_ptr<sfu::conference::Conference> conference_;
  std::unique_ptr<net::UdpListener> udp_;
  std::unique_ptr<net::StreamListener> tcp_;
  std::unique_ptr<sfu::signal::SignalServer> signal_;
  std::unique_ptr<net::Event> timer_;
  std::thread thread_;
  SfuGauges gauges_;
  std::atomic<SteadyTime::rep> heartbeat_{0};
};

}  // namespace turnd::server

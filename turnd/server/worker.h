// Worker: one thread, one event loop, and everything the packet path touches
// — its listeners, its relay sockets, its receive buffers and its TURN state —
// so the path from socket to socket takes no lock and allocates nothing.
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "turnd/net/datagram_io.h"
#include "turnd/net/event_loop.h"
#include "turnd/net/relay_factory.h"
#include "turnd/net/stream_listener.h"
#include "turnd/net/udp_listener.h"
#include "turnd/server/session_log_queue.h"
#include "turnd/server/sfu_bridge.h"
#include "turnd/server/shared_state.h"
#include "turnd/turn/server.h"

namespace turnd::server {

class Worker {
 public:
  // Binds every listener now, so start-up fails before any thread runs.
  // `sessions` (may be null) receives the worker's allocation events;
  // `sfu` (may be null) is its side of the in-process relay into the SFU;
  // `web` (may be null: no SFU) takes the web's connections from listeners
  // that share a port with it or accept for it (a shared 443, the PROXY
  // protocol, web-redirect-port).
  Worker(SharedState& shared, size_t index, SessionLogQueue* sessions = nullptr,
         WorkerPort* sfu = nullptr, net::WebDoor* web = nullptr);
  ~Worker();

  void start();          // runs the loop on its own thread
  void stop() noexcept;  // thread-safe
  // Thread-safe: the worker switches to `policy` (and `tls`, if not null, for
  // new handshakes) between two packets; allocations keep running.
  void reload(turn::PolicyPtr policy, std::shared_ptr<const net::TlsContext> tls);
  void join();

  const turn::Metrics& metrics() const noexcept { return turn_.metrics(); }
  const net::DatagramIo& io() const noexcept { return *io_; }
  // Where its TCP and TLS connections went (shared port, PROXY protocol).
  const net::ListenerCounts& listener_counts() const noexcept { return listener_counts_; }
  size_t index() const noexcept { return index_; }
  // When the worker's loop last ran its 1-second housekeeping (steady clock):
  // the watchdog only pets systemd while every worker keeps beating.
  SteadyTime last_heartbeat() const noexcept {
    return SteadyTime(SteadyTime::duration(heartbeat_.load(std::memory_order_relaxed)));
  }

 private:
  net::StreamOptions stream_options(const config::Config& c, bool proxy_protocol);

  size_t index_;
  net::EventBase base_;
  std::unique_ptr<net::DatagramIo> io_;
  net::UdpRelayFactory relays_;
  WorkerPort* sfu_;
  turn::Server turn_;
  std::vector<std::unique_ptr<net::UdpListener>> udp_;
  net::ListenerCounts listener_counts_;
  std::vector<std::unique_ptr<net::StreamListener>> streams_;
  std::unique_ptr<net::Event> expiry_timer_;
  std::thread thread_;
  std::atomic<SteadyTime::rep> heartbeat_;
};

}  // namespace turnd::server

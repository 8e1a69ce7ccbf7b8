// SignalServer: the SFU's HTTPS + WSS front door (docs/SFU.md, "Threads and
// data flow"). One TLS port serves the browser client's static files, the
// admin's imprint and privacy documents, and the signalling WebSocket at /ws.
// It knows nothing of conferences: every complete text frame goes to a
// SignalHandler as it is, and replies come back through send()/close(), which
// any thread may call.
//
// libwebsockets 4.1 on Debian cannot share turnd's libevent loop, so the
// server runs its own lws_service loop on its own thread (start/stop).
// Cross-thread replies are queued under a mutex and the loop is woken with
// lws_cancel_service; the loop moves them into each connection's bounded
// Outbox and writes them from the writeable callback, one frame per callback.
//
// Connection lifecycle, as the handler sees it: on_open once, on_message any
// number of times, on_close once (also for connections the server drops:
// oversized or binary frames, a client that does not read, no pong to a
// ping, stop(), more than message_burst messages at once).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "turnd/common/address.h"
#include "turnd/common/connection_counter.h"
#include "turnd/net/web_door.h"

namespace turnd::sfu::signal {

using ConnectionId = uint64_t;

// Implemented by the conference. Called on the signal thread; must not block.
class SignalHandler {
 public:
  virtual ~SignalHandler() = default;
  // `page_host`: the DNS name the browser reached us by (page_host() of its
  // Host header), "" when it used an address.
  virtual void on_open(ConnectionId connection, const SocketAddress& peer,
                       const std::string& page_host) = 0;
  virtual void on_message(ConnectionId connection, std::string text) = 0;  // one whole text frame
  virtual void on_close(ConnectionId connection) = 0;
};

struct SignalOptions {
  SocketAddress listen;  // port 0: the kernel picks one (see SignalServer::local_address)
  // TURN's workers accept the connections (a port shared with TURN over TLS,
  // or the PROXY protocol; docs/ADMIN.md): bind nothing, take connections
  // only through adopt().
  bool accepted_elsewhere = false;
  std::string cert_file, key_file;
  std::string cipher_list;         // TLS 1.2 suites; empty: OpenSSL's default (TLS 1.3 unaffected)
  std::filesystem::path web_root;  // the client's files (sfu/web, installed share/turnd/web)
  std::filesystem::path imprint_file, privacy_file;  // empty: 404 "not configured"
  size_t max_message = 64 * 1024;   // bigger text messages close the connection (1009)
  size_t max_queued = 1024 * 1024;  // per connection; more unsent bytes drop it
  unsigned ping_interval_s = 20;    // a ping after this long without a pong (0: none) ...
  unsigned ping_timeout_s = 20;     // ... and the connection closes this much later
  // HTTPS and WebSocket connections together, per client address, its
  // network and in total; refused at accept, before the TLS handshake.
  ConnectionCounter::Limits connection_limits;
  double message_rate = 20;   // WebSocket messages per second a connection may send ...
  double message_burst = 60;  // ... in bursts of this many; more closes it (1008)
};

// Read by /metrics (relaxed; any thread).
struct SignalCounters {
  std::atomic<uint64_t> refused_connections{0};  // over a connection limit
  std::atomic<uint64_t> flooding_closed{0};      // closed for sending too many messages
};

class SignalServer final : public net::WebDoor {
 public:
  // Checks the certificate, the web root and binds the port now: throws
  // std::runtime_error with the reason (port in use, unreadable certificate,
  // key not matching, missing web root).
  SignalServer(SignalOptions options, SignalHandler& handler);
  ~SignalServer() override;  // stop()s
  SignalServer(const SignalServer&) = delete;
  SignalServer& operator=(const SignalServer&) = delete;

  // The thread running the service loop. start() once; stop() closes every
  // connection (the handler gets on_close for each, on the signal thread) and
  // joins it; both idempotent.
  void start();
  void stop();

  // Thread-safe. Queued and written in order; unknown or closed connections
  // are ignored. close() closes after the messages queued before it.
  void send(ConnectionId connection, std::string text);
  void close(ConnectionId connection);

  // Thread-safe: a connection accepted on a port shared with TURN, counted
  // against connection_limits like the server's own.
  void adopt(int fd, const SocketAddress& client, net::WebHandoff kind) noexcept override;

  const SocketAddress& local_address() const noexcept;
  const SignalCounters& counters() const noexcept;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace turnd::sfu::signal

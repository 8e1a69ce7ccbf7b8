// TCP and TLS listeners (RFC 8656 §3.1: TURN over TCP/TLS, relaying to UDP).
// Each worker has its own SO_REUSEPORT listener; an accepted connection, its
// framing, its allocation and its relay socket stay on that worker.
//
// Before a connection is kept, two optional steps, each waiting (edge-
// triggered, kFirstBytesTimeout in all) for bytes it peeks without consuming:
//   - PROXY protocol (options.proxy_from): only trusted sources may connect;
//     their header (proxy_header.h) is consumed and names the client, which
//     the limits, TURN and the logs see from then on;
//   - a port shared with the web server (options.shared): the whole
//     ClientHello decides, by shared_port.h's rules, whether the connection
//     goes to the web server untouched or stays here; on a plain TCP port
//     the first bytes decide (STUN stays, HTTP goes to be redirected to
//     https); a web-only listener passes every connection on.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "turnd/common/connection_counter.h"
#include "turnd/common/counter.h"
#include "turnd/common/ip_range.h"
#include "turnd/net/client_hello.h"
#include "turnd/net/event_loop.h"
#include "turnd/net/shared_port.h"
#include "turnd/net/stream_connection.h"
#include "turnd/net/web_door.h"
#include "turnd/turn/io.h"

struct evconnlistener;

namespace turnd::net {

class TlsContext;
class WebDoor;
class PendingConnection;

// What became of a worker's stream connections (written by its thread, read
// by /metrics).
struct ListenerCounts {
  Counter web;            // shared port: passed on untouched (ALPN or SNI)
  Counter web_decrypted;  // shared port: HTTP without ALPN, bridged after the handshake
  Counter turn;           // shared port: kept for TURN (over TLS, or plain TCP)
  Counter unrecognised;   // shared port: neither TLS nor TURN, a malformed hello, too slow
  Counter proxy_refused;  // PROXY protocol: an untrusted source, or no valid header in time
};

// A port shared with the web server: TLS (the page and TURN over TLS), or
// plain TCP (TURN over TCP and a redirect to https), or the web's alone.
struct SharedPort {
  WebDoor* web = nullptr;
  SharedPortNames names;
  bool web_only = false;  // every connection goes to the web (its own port, behind a proxy)
  // How a whole connection is handed over: kTls on a TLS or web-only TLS
  // port, kPlainHttp on a plain one.
  WebHandoff handoff = WebHandoff::kTls;
};

struct StreamOptions {
  StreamFraming framing = StreamFraming::kTurn;
  // Connections per client address, network and in total (refused at
  // accept, or after the PROXY header, before any TLS handshake).
  ConnectionCounter::Limits limits;
  std::optional<SharedPort> shared;
  // Not empty: the PROXY protocol, from these sources only.
  std::vector<IpRange> proxy_from;
  ListenerCounts* counts = nullptr;  // may be null; outlives the listener
};

class StreamListener {
 public:
  static constexpr std::chrono::seconds kFirstBytesTimeout{10};

  // tls == nullptr: plain TCP. Throws std::runtime_error when it cannot bind.
  // Out of descriptors (EMFILE and the like) it stops accepting for a second
  // instead of spinning.
  StreamListener(EventBase& base, const SocketAddress& address,
                 std::shared_ptr<const TlsContext> tls, turn::ClientPacketHandler& handler,
                 StreamOptions options = {});
  ~StreamListener();
  StreamListener(const StreamListener&) = delete;
  StreamListener& operator=(const StreamListener&) = delete;

  size_t connection_count() const noexcept { return connections_.size(); }
  uint64_t refused_count() const noexcept { return refused_; }
  bool is_tls() const noexcept { return tls_ != nullptr; }
  // A reloaded certificate: new handshakes use it; established sessions keep
  // theirs (each SSL holds a reference to the context it was made from).
  void set_tls(std::shared_ptr<const TlsContext> tls) noexcept { tls_ = std::move(tls); }
  void close(StreamConnection* connection) noexcept;   // called by the connection
  void sniffed(bool web) noexcept;                     // ... when its first bytes decided
  void readable(PendingConnection* pending) noexcept;  // called by a waiting connection
  void give_up(PendingConnection* pending) noexcept;   // ... which timed out or closed

 private:
  static void on_accept(evconnlistener*, int fd, struct sockaddr* addr, int len, void* self);
  static void on_accept_error(evconnlistener*, void* self);
  void accept(int fd, const SocketAddress& client) noexcept;
  bool admit(const SocketAddress& client) noexcept;
  bool trusted_proxy(const SocketAddress& source) const noexcept;
  void read_proxy_header(PendingConnection* pending) noexcept;
  void read_client_hello(PendingConnection* pending) noexcept;
  void read_first_bytes(PendingConnection* pending, Bytes head) noexcept;
  void to_web(PendingConnection* pending) noexcept;
  void keep(int fd, const SocketAddress& client, bool tls, WebDoor* sniff_for) noexcept;
  void forget(PendingConnection* pending) noexcept;
  void count(Counter ListenerCounts::*which) noexcept;

  EventBase& base_;
  SocketAddress address_;
  std::shared_ptr<const TlsContext> tls_;
  turn::ClientPacketHandler& handler_;
  StreamOptions options_;
  evconnlistener* listener_ = nullptr;
  ConnectionCounter open_;
  uint64_t refused_ = 0;
  bool paused_ = false;  // out of descriptors: resume_ enables it again
  std::unique_ptr<Event> resume_;
  std::unordered_map<StreamConnection*, std::unique_ptr<StreamConnection>> connections_;
  std::unordered_map<PendingConnection*, std::unique_ptr<PendingConnection>> pending_;
  // One peek buffer and one reassembly buffer for all waiting connections
  // (a listener lives on one thread).
  std::array<std::byte, kMaxClientHello + 1024> peeked_{};
  std::array<std::byte, kMaxClientHello> hello_{};
};

}  // namespace turnd::net

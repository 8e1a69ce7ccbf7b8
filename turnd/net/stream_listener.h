// TCP and TLS listeners (RFC 8656 §3.1: TURN over TCP/TLS, relaying to UDP).
// Each worker has its own SO_REUSEPORT listener; an accepted connection, its
// framing, its allocation and its relay socket stay on that worker.
//
// A TLS listener may share its port with the web server (web-port ==
// tls-listening-port, docs/ADMIN.md "Port 443 only"): each new connection
// then waits (kHelloTimeout at most) until its whole ClientHello can be
// peeked, and shared_port.h's rules send it to the web server untouched or
// keep it here.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <unordered_map>

#include "turnd/common/connection_counter.h"
#include "turnd/common/counter.h"
#include "turnd/net/client_hello.h"
#include "turnd/net/event_loop.h"
#include "turnd/net/shared_port.h"
#include "turnd/net/stream_connection.h"
#include "turnd/turn/io.h"

struct evconnlistener;

namespace turnd::net {

class TlsContext;
class WebDoor;
class HelloWait;

// What became of the connections a shared port took (written by the
// listener's thread, read by /metrics).
struct SharedPortCounts {
  Counter web;            // passed on untouched (ALPN or SNI)
  Counter web_decrypted;  // HTTP without ALPN, bridged after the handshake
  Counter turn;           // kept for TURN (over TLS, or plain TCP)
  Counter unrecognised;   // neither TLS nor TURN, a malformed hello, or too slow
};

// A TLS port shared with the web server.
struct SharedPort {
  WebDoor* web = nullptr;
  SharedPortNames names;
  SharedPortCounts* counts = nullptr;  // required; outlives the listener
};

class StreamListener {
 public:
  static constexpr std::chrono::seconds kHelloTimeout{10};

  // tls == nullptr: plain TCP. Throws std::runtime_error when it cannot bind.
  // `limits` bound the connections per client address, network and in total
  // (refused at accept, before any TLS handshake). Out of descriptors
  // (EMFILE and the like) it stops accepting for a second instead of spinning.
  StreamListener(EventBase& base, const SocketAddress& address,
                 std::shared_ptr<const TlsContext> tls, turn::ClientPacketHandler& handler,
                 StreamFraming framing = StreamFraming::kTurn,
                 ConnectionCounter::Limits limits = {}, std::optional<SharedPort> shared = {});
  ~StreamListener();
  StreamListener(const StreamListener&) = delete;
  StreamListener& operator=(const StreamListener&) = delete;

  size_t connection_count() const noexcept { return connections_.size(); }
  uint64_t refused_count() const noexcept { return refused_; }
  bool is_tls() const noexcept { return tls_ != nullptr; }
  // A reloaded certificate: new handshakes use it; established sessions keep
  // theirs (each SSL holds a reference to the context it was made from).
  void set_tls(std::shared_ptr<const TlsContext> tls) noexcept { tls_ = std::move(tls); }
  void close(StreamConnection* connection) noexcept;  // called by the connection
  void sniffed(bool web) noexcept;                    // ... when its first bytes decided
  void hello_ready(HelloWait* wait) noexcept;         // called by a waiting connection
  void hello_failed(HelloWait* wait) noexcept;        // ... which timed out or closed

 private:
  static void on_accept(evconnlistener*, int fd, struct sockaddr* addr, int len, void* self);
  static void on_accept_error(evconnlistener*, void* self);
  void accept(int fd, const SocketAddress& client) noexcept;
  void keep(int fd, const SocketAddress& client, bool tls, WebDoor* sniff_for) noexcept;
  void forget(HelloWait* wait) noexcept;

  EventBase& base_;
  SocketAddress address_;
  std::shared_ptr<const TlsContext> tls_;
  turn::ClientPacketHandler& handler_;
  StreamFraming framing_;
  std::optional<SharedPort> shared_;
  evconnlistener* listener_ = nullptr;
  ConnectionCounter open_;
  uint64_t refused_ = 0;
  bool paused_ = false;  // out of descriptors: resume_ enables it again
  std::unique_ptr<Event> resume_;
  std::unordered_map<StreamConnection*, std::unique_ptr<StreamConnection>> connections_;
  std::unordered_map<HelloWait*, std::unique_ptr<HelloWait>> waiting_;
  // One peek buffer and one reassembly buffer for all waiting connections
  // (a listener lives on one thread).
  std::array<std::byte, kMaxClientHello + 1024> peeked_{};
  std::array<std::byte, kMaxClientHello> hello_{};
};

}  // namespace turnd::net

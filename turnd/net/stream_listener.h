// TCP and TLS listeners (RFC 8656 §3.1: TURN over TCP/TLS, relaying to UDP).
// Each worker has its own SO_REUSEPORT listener; an accepted connection, its
// framing, its allocation and its relay socket stay on that worker.
#pragma once

#include <memory>
#include <unordered_map>

#include "turnd/common/connection_counter.h"
#include "turnd/net/event_loop.h"
#include "turnd/turn/io.h"

struct evconnlistener;

namespace turnd::net {

class TlsContext;
class StreamConnection;

// How a stream is cut into packets.
enum class StreamFraming : uint8_t {
  kTurn,     // STUN and ChannelData messages (RFC 8656 §12.5): TURN over TCP/TLS
  kRfc4571,  // a 16-bit length before each packet (RFC 4571): ICE-TCP to the SFU
};

class StreamListener {
 public:
  // tls == nullptr: plain TCP. Throws std::runtime_error when it cannot bind.
  // `limits` bound the connections per client address, network and in total
  // (refused at accept, before any TLS handshake). Out of descriptors
  // (EMFILE and the like) it stops accepting for a second instead of spinning.
  StreamListener(EventBase& base, const SocketAddress& address,
                 std::shared_ptr<const TlsContext> tls, turn::ClientPacketHandler& handler,
                 StreamFraming framing = StreamFraming::kTurn,
                 ConnectionCounter::Limits limits = {});
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

 private:
  static void on_accept(evconnlistener*, int fd, struct sockaddr* addr, int len, void* self);
  static void on_accept_error(evconnlistener*, void* self);
  void accept(int fd, const SocketAddress& client) noexcept;

  EventBase& base_;
  SocketAddress address_;
  std::shared_ptr<const TlsContext> tls_;
  turn::ClientPacketHandler& handler_;
  StreamFraming framing_;
  evconnlistener* listener_ = nullptr;
  ConnectionCounter open_;
  uint64_t refused_ = 0;
  bool paused_ = false;  // out of descriptors: resume_ enables it again
  std::unique_ptr<Event> resume_;
  std::unordered_map<StreamConnection*, std::unique_ptr<StreamConnection>> connections_;
};

}  // namespace turnd::net

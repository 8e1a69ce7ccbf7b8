// One accepted TCP or TLS client connection of a StreamListener: cuts the
// stream into packets for the handler (TURN framing or RFC 4571), or — on a
// port shared with the web, when the first bytes after the TLS handshake are
// an HTTP request — bridges the decrypted stream to the web server through a
// socketpair.
//
//   kSniffing --STUN--> kFramed (TURN)
//       \----HTTP--> kBridged  (bytes both ways until either side closes)
#pragma once

#include <chrono>
#include <memory>

#include "turnd/net/event_loop.h"
#include "turnd/turn/io.h"

struct bufferevent;

namespace turnd::net {

class StreamListener;
class WebDoor;

// How a stream is cut into packets.
enum class StreamFraming : uint8_t {
  kTurn,     // STUN and ChannelData messages (RFC 8656 §12.5): TURN over TCP/TLS
  kRfc4571,  // a 16-bit length before each packet (RFC 4571): ICE-TCP to the SFU
};

class StreamConnection final : public turn::ClientLink {
 public:
  // A client that does not drain its socket loses packets instead of growing
  // our memory: TURN relays datagrams, dropping is the honest answer.
  static constexpr size_t kMaxQueuedBytes = 4 << 20;

  // A connection that holds no allocation is closed after this long: a TURN
  // client allocates right after connecting (RFC 8656 §3.1), and idle
  // sockets are what a slow-connection attack is made of.
  static constexpr std::chrono::seconds kIdleWithoutAllocation{30};

  // `web` not null: the first bytes decide between TURN and the web server.
  StreamConnection(StreamListener& owner, EventBase& base, bufferevent* bev, turn::FiveTuple tuple,
                   turn::ClientPacketHandler& handler, StreamFraming framing,
                   WebDoor* web = nullptr);
  ~StreamConnection() override;

  const turn::FiveTuple& tuple() const noexcept { return tuple_; }
  bool sniffing() const noexcept { return state_ == State::kSniffing; }

  void close() noexcept override;
  void send(Bytes message) noexcept override;
  std::unique_ptr<ClientLink> retain() const override;

 private:
  enum class State : uint8_t {
    kSniffing,  // waiting for the first bytes (shared port, after the handshake)
    kFramed,    // packets to and from the handler
    kBridged,   // an HTTP client: bytes to and from the web server
  };

  static void on_read(bufferevent*, void* self);
  static void on_event(bufferevent*, short events, void* self);
  static void on_bridge_read(bufferevent*, void* self);
  static void on_drained(bufferevent*, void* self);

  void read() noexcept;
  void read_turn() noexcept;
  void read_rfc4571() noexcept;
  void sniff() noexcept;
  void start_bridge() noexcept;
  void pump(bufferevent* from, bufferevent* to) noexcept;
  void closed() noexcept;

  StreamListener& owner_;
  EventBase& base_;
  bufferevent* bev_;
  bufferevent* bridge_ = nullptr;  // kBridged: our end of the socketpair
  turn::FiveTuple tuple_;
  turn::ClientPacketHandler& handler_;
  StreamFraming framing_;
  WebDoor* web_;
  State state_;
  bool finishing_ = false;  // kBridged: the web server closed; flushing to the client
  std::unique_ptr<Event> idle_check_;
};

}  // namespace turnd::net

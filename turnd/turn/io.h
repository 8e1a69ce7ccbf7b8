// The TURN logic's view of I/O: opaque handles to reach a client and to send
// from a relayed transport address. turnd/net implements them over libevent
// sockets; unit tests implement them in memory.
#pragma once

#include <cstdint>
#include <memory>

#include "turnd/common/address.h"
#include "turnd/common/bytes.h"

namespace turnd::turn {

enum class ClientTransport : uint8_t { kUdp, kTcp, kTls };
const char* to_string(ClientTransport transport) noexcept;

inline bool is_stream(ClientTransport t) noexcept {
  return t != ClientTransport::kUdp;
}

// RFC 8656 §2: the 5-tuple that identifies an allocation.
struct FiveTuple {
  SocketAddress client;
  SocketAddress server;
  ClientTransport transport = ClientTransport::kUdp;
  bool operator==(const FiveTuple& other) const noexcept {
    return transport == other.transport && client == other.client && server == other.server;
  }
};

struct FiveTupleHash {
  size_t operator()(const FiveTuple& t) const noexcept {
    return t.client.hash() * 31 + t.server.hash() + static_cast<size_t>(t.transport);
  }
};

// How to answer a client: the UDP listener socket with the client's address,
// or a TCP/TLS connection. send() frames nothing: the caller passes a whole
// STUN message or ChannelData message (padded on stream transports).
class ClientLink {
 public:
  virtual ~ClientLink() = default;
  virtual void send(Bytes message) noexcept = 0;
  // A buffer to build the next message in, which send() then takes without
  // a copy; empty when the link has none (the caller uses its own buffer).
  virtual MutableBytes send_buffer() noexcept { return {}; }
  // Asks a stream transport to close the connection once the current
  // callback is done (never re-entrantly); a no-op for UDP.
  virtual void close() noexcept {}
  // A handle that stays valid for an allocation's life (UDP links are
  // temporaries made per datagram; stream links outlive their allocation).
  virtual std::unique_ptr<ClientLink> retain() const = 0;
};

// Receives what clients send to a listener (turn::Server implements it).
class ClientPacketHandler {
 public:
  virtual ~ClientPacketHandler() = default;
  // One datagram (UDP) or one frame (TCP/TLS); `data` may be modified in place.
  virtual void on_client_packet(const FiveTuple& tuple, ClientLink& link,
                                MutableBytes data) noexcept = 0;
  virtual void on_link_closed(const FiveTuple& tuple) noexcept = 0;
  // Whether the 5-tuple holds an allocation (idle stream connections without
  // one are closed).
  virtual bool has_allocation(const FiveTuple& tuple) const noexcept = 0;
};

// Receives what peers send to a relayed transport address.
class RelaySink {
 public:
  virtual ~RelaySink() = default;
  // `headroom` bytes before data.data() may be overwritten by the callee
  // (to prepend a ChannelData or Data indication header without copying),
  // and `tailroom` bytes after its end (padding).
  virtual void on_peer_packet(void* context, const SocketAddress& peer, MutableBytes data,
                              size_t headroom, size_t tailroom) noexcept = 0;
};

// A UDP socket bound to a relayed transport address.
class RelaySocket {
 public:
  virtual ~RelaySocket() = default;
  virtual const SocketAddress& local_address() const noexcept = 0;
  // False when the kernel refused the datagram (counted by the caller).
  virtual bool send_to(const SocketAddress& peer, Bytes data) noexcept = 0;
  virtual void set_dont_fragment(bool on) noexcept = 0;
};

struct RelayRequest {
  Family family = Family::kIPv4;
  bool even_port = false;
  bool reserve_next = false;       // also hold port + 1 and return a token for it
  uint64_t reservation_token = 0;  // non-zero: use the port reserved under this token
};

struct RelayResult {
  std::unique_ptr<RelaySocket> socket;
  uint64_t reservation_token = 0;  // set when reserve_next was honoured
  uint16_t error = 0;              // STUN error code when socket is null
};

// Opens relay sockets on relay-ip within min-port..max-port.
class RelayFactory {
 public:
  virtual ~RelayFactory() = default;
  virtual bool supports(Family family) const noexcept = 0;
  virtual RelayResult open(const RelayRequest& request, RelaySink& sink, void* context) = 0;
  // The address to announce for `local` (external-ip mapping, RFC 8656 §3.x NAT).
  virtual SocketAddress advertised(const SocketAddress& local) const noexcept = 0;
};

}  // namespace turnd::turn

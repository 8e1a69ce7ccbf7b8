// MediaEndpoint: the SFU's side of its media sockets. Every participant's
// PeerConnections share the same UDP port (and later the ICE-TCP port and
// in-process TURN allocations); this class demultiplexes what arrives there:
//
//   STUN       -> IceRegistry (by USERNAME's local ufrag) -> that transport's agent
//   otherwise  -> IceRegistry (by path: a 5-tuple a valid check came from)
//                 -> WebRtcTransport::on_datagram (DTLS, SRTP)
//
// and is the transports' PacketOut: a packet for a path leaves through the
// link (socket) the path's first valid check arrived on. Media thread only.
#pragma once

#include <memory>
#include <optional>
#include <unordered_map>

#include "sfu/ice/ice_registry.h"
#include "sfu/transport/webrtc_transport.h"
#include "turnd/common/counter.h"
#include "turnd/turn/io.h"

namespace turnd::sfu::router {

struct EndpointCounters {
  Counter stun_in;
  Counter stun_replies;
  Counter unknown_source;  // not STUN and from no known path: dropped
  Counter sent;
};

class MediaEndpoint final : public turn::ClientPacketHandler, public transport::PacketOut {
 public:
  MediaEndpoint() = default;

  // Control plane: a transport becomes reachable by its ICE ufrag / forgotten.
  void add(transport::WebRtcTransport& t);
  void remove(transport::WebRtcTransport& t) noexcept;
  // An ICE restart of `t` (WebRtcTransport::restart_ice), reachable by its
  // new ufrag from then on; false when the transport cannot restart.
  bool restart_ice(transport::WebRtcTransport& t, ice::IceCredentials local,
                   std::string remote_ufrag);

  // turn::ClientPacketHandler: a datagram on one of the SFU's sockets.
  void on_client_packet(const turn::FiveTuple& tuple, turn::ClientLink& link,
                        MutableBytes data) noexcept override;
  void on_link_closed(const turn::FiveTuple& tuple) noexcept override;
  // An ICE-TCP connection is kept while a valid check came over it.
  bool has_allocation(const turn::FiveTuple& tuple) const noexcept override;

  // transport::PacketOut
  void send(const ice::Path& path, Bytes packet) noexcept override;
  MutableBytes send_buffer(const ice::Path& path) noexcept override;

  const EndpointCounters& counters() const noexcept { return counters_; }
  size_t transport_count() const noexcept { return transports_; }

 private:
  // A socket number per (local address, transport) the packets arrived on:
  // a handful (UDP, ICE-TCP, in-process), a linear scan is the fastest.
  uint32_t socket_id(const turn::FiveTuple& tuple) noexcept;
  std::optional<uint32_t> find_socket(const turn::FiveTuple& tuple) const noexcept;
  void forget_link(const ice::Path& path) noexcept;
  // The link of a path; remembers the last one (send_buffer() then send()).
  turn::ClientLink* find_link(const ice::Path& path) noexcept;

  ice::IceRegistry registry_;
  size_t transports_ = 0;
  std::unordered_map<ice::Path, std::unique_ptr<turn::ClientLink>, ice::PathHash> links_;
  std::vector<std::pair<SocketAddress, turn::ClientTransport>> sockets_;
  ice::Path last_path_{};
  turn::ClientLink* last_link_ = nullptr;
  std::array<std::byte, 1280> reply_{};
  // For links without a send buffer of their own (ICE-TCP, in-process).
  alignas(8) std::array<std::byte, 2048> packet_{};
  EndpointCounters counters_;
};

}  // namespace turnd::sfu::router

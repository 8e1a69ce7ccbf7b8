// The relay's packet path (RFC 8656 §10, §12): ChannelData and Send
// indications from the client to peers, and peer datagrams back to the client
// as ChannelData or Data indications. No allocation, no copy: headers are
// written in front of the payload in the receive buffer.
#include <cstring>

#include "turnd/stun/attr/data.h"
#include "turnd/stun/attr/xor_peer_address.h"
#include "turnd/turn/request.h"

namespace turnd::turn {

void Server::send_to_peer(Allocation& a, const SocketAddress& peer, Bytes payload,
                          SteadyTime now) noexcept {
  metrics_.packets_from_clients.add();
  metrics_.bytes_from_clients.add(payload.size());
  RelaySocket* relay = a.relay_for(peer.family());
  if (relay == nullptr) {
    metrics_.dropped_packets.add();
    return;
  }
  if (!a.take_bandwidth(payload.size(), policy_->options.max_bps, now)) {
    metrics_.rate_limited_packets.add();
    return;
  }
  LocalPeers* local = deps_.local_peers;
  if (local != nullptr && local->in_process() && local->is_local(peer)) {
    // Issue 5: the SFU in this process gets it from our relayed address.
    if (!local->deliver(&a, *this, relay->local_address(), peer, payload)) {
      metrics_.dropped_packets.add();
      return;
    }
    metrics_.packets_to_local_peers.add();
    metrics_.bytes_to_local_peers.add(payload.size());
    a.traffic().packets_from_client++;
    a.traffic().bytes_from_client += payload.size();
    return;
  }
  if (!relay->send_to(peer, payload)) {
    metrics_.relay_send_errors.add();
    return;
  }
  metrics_.packets_to_peers.add();
  metrics_.bytes_to_peers.add(payload.size());
  a.traffic().packets_from_client++;
  a.traffic().bytes_from_client += payload.size();
}

// RFC 8656 §12.4: a ChannelData message from the client.
void Server::handle_channel_data(const FiveTuple& tuple, MutableBytes data) noexcept {
  if (data.size() < stun::kChannelDataHeaderSize) {
    metrics_.malformed_packets.add();
    return;
  }
  uint16_t number = load_be16(data.data());
  size_t length = load_be16(data.data() + 2);
  if (stun::kChannelDataHeaderSize + length > data.size()) {
    metrics_.malformed_packets.add();
    return;
  }
  auto it = allocations_.find(tuple);
  SteadyTime now = deps_.clock.now();
  const Channel* channel =
      it == allocations_.end() ? nullptr : it->second->channel_by_number(number, now);
  if (channel == nullptr || !it->second->has_permission(channel->peer, now)) {
    metrics_.dropped_packets.add();
    return;
  }
  send_to_peer(*it->second, channel->peer, data.subspan(stun::kChannelDataHeaderSize, length), now);
}

// RFC 8656 §10.2: a Send indication from the client.
void Server::handle_send(const FiveTuple& tuple, const stun::MessageView& message) noexcept {
  auto it = allocations_.find(tuple);
  if (it == allocations_.end()) {
    metrics_.dropped_packets.add();
    return;
  }
  stun::XorPeerAddress peer;
  stun::Data payload;
  if (stun::XorPeerAddress::get_from(message, peer) != stun::DecodeStatus::kOk ||
      stun::Data::get_from(message, payload) != stun::DecodeStatus::kOk) {
    metrics_.malformed_packets.add();
    return;
  }
  if (!peer_allowed(*it->second, peer.address)) {
    metrics_.denied_peers.add();
    return;
  }
  SteadyTime now = deps_.clock.now();
  if (!it->second->has_permission(peer.address, now)) {
    metrics_.dropped_packets.add();
    return;
  }
  send_to_peer(*it->second, peer.address, payload.value, now);
}

void Server::count_from_peer(Allocation& a, size_t bytes) noexcept {
  metrics_.packets_from_peers.add();
  metrics_.bytes_from_peers.add(bytes);
  a.traffic().packets_to_client++;
  a.traffic().bytes_to_client += bytes;
}

// RFC 8656 §10.3 and §12.5: a datagram from a peer to a relayed address.
void Server::on_peer_packet(void* context, const SocketAddress& peer, MutableBytes data,
                            size_t headroom, size_t tailroom) noexcept {
  auto& a = *static_cast<Allocation*>(context);
  SteadyTime now = deps_.clock.now();
  if (!a.has_permission(peer, now)) {
    metrics_.dropped_packets.add();
    return;
  }
  if (!a.take_bandwidth(data.size(), policy_->options.max_bps, now)) {
    metrics_.rate_limited_packets.add();
    return;
  }
  bool stream = is_stream(a.tuple().transport);
  size_t padding = pad4(data.size()) - data.size();
  if (const Channel* channel = a.channel_by_peer(peer, now)) {
    if (headroom < stun::kChannelDataHeaderSize || tailroom < padding) return;
    std::byte* start = data.data() - stun::kChannelDataHeaderSize;
    store_be16(start, channel->number);
    store_be16(start + 2, static_cast<uint16_t>(data.size()));
    size_t total = stun::kChannelDataHeaderSize + data.size();
    if (stream) {  // RFC 8656 §12.5: pad to 4 bytes over TCP/TLS
      std::memset(data.data() + data.size(), 0, padding);
      total += padding;
    }
    count_from_peer(a, data.size());
    a.link().send(Bytes(start, total));
    return;
  }
  size_t header = stun::kHeaderSize + stun::kAttributeHeaderSize + (peer.is_v4() ? 8 : 20) +
                  stun::kAttributeHeaderSize;
  size_t trailer = padding + (policy_->options.fingerprint ? 8 : 0);
  if (headroom < header || tailroom < trailer) return;
  std::byte id[stun::kTransactionIdSize];
  next_transaction_id(id);
  MutableBytes frame(data.data() - header, header + data.size() + trailer);
  stun::MessageBuilder b(frame, stun::Method::kData, stun::MessageClass::kIndication, id);
  stun::XorPeerAddress{peer}.add_to(b);
  b.reserve_in_place(stun::attr::kData, data.size());  // lands exactly on the payload
  if (policy_->options.fingerprint) b.add_fingerprint();
  if (!b.ok()) return;
  count_from_peer(a, data.size());
  a.link().send(b.bytes());
}

}  // namespace turnd::turn

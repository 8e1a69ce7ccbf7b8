// CreatePermission (RFC 8656 §9.2) and the peer checks ChannelBind shares.
#include "turnd/stun/attr/xor_peer_address.h"
#include "turnd/turn/request.h"

namespace turnd::turn {

// RFC 8656 §9.2 / §11.2: the peer must match a relayed address family (443)
// and pass the server's policy (403, RFC 8656 §21 security).
// The SFU's own addresses always; others by the peer policy, unless the
// allocation was made with a browser's credential (the SFU only).
bool Server::peer_allowed(const Allocation& a, const SocketAddress& peer) const noexcept {
  if (deps_.local_peers != nullptr && deps_.local_peers->is_local(peer)) return true;
  return !a.sfu_only() && policy_->peer_policy.allows(peer);
}

bool Server::peer_usable(Request& r, const SocketAddress& peer, uint16_t& error) noexcept {
  if (!r.allocation->has_family(peer.family())) {
    error = stun::error::kPeerAddressFamilyMismatch;
    return false;
  }
  if (!peer_allowed(*r.allocation, peer)) {
    metrics_.denied_peers.add();
    error = stun::error::kForbidden;
    return false;
  }
  return true;
}

void Server::handle_create_permission(Request& r) noexcept {
  if (r.allocation == nullptr) return send_error(r, stun::error::kAllocationMismatch);
  // Check every XOR-PEER-ADDRESS first: the request installs all or none.
  size_t peers = 0;
  size_t new_peers = 0;
  uint16_t error = 0;
  r.message.for_each([&](const stun::Attribute& a) {
    if (a.type != stun::attr::kXorPeerAddress) return true;
    stun::XorPeerAddress peer;
    if (stun::XorPeerAddress::decode(r.message, a, peer) != stun::DecodeStatus::kOk) {
      error = stun::error::kBadRequest;
      return false;
    }
    ++peers;
    if (!r.allocation->has_permission_entry(peer.address)) ++new_peers;
    return peer_usable(r, peer.address, error);
  });
  if (error == 0 && peers == 0) error = stun::error::kBadRequest;
  // Duplicates within one request may overcount: refusing is the safe side.
  if (error == 0 && new_peers > r.allocation->permission_room()) {
    error = stun::error::kInsufficientCapacity;
  }
  if (error != 0) return send_error(r, error);

  SteadyTime expires = deps_.clock.now() + Seconds(policy_->options.permission_lifetime);
  r.message.for_each([&](const stun::Attribute& a) {
    if (a.type != stun::attr::kXorPeerAddress) return true;
    stun::XorPeerAddress peer;
    stun::XorPeerAddress::decode(r.message, a, peer);
    r.allocation->install_permission(peer.address, expires);
    return true;
  });
  stun::MessageBuilder b = start_response(r, stun::MessageClass::kSuccessResponse);
  finish_response(r, b);
}

}  // namespace turnd::turn

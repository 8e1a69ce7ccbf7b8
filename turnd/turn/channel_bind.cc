// ChannelBind (RFC 8656 §11.2): bind a channel number to a peer and install
// or refresh the permission for the peer's IP.
#include "turnd/common/log.h"
#include "turnd/stun/attr/channel_number.h"
#include "turnd/stun/attr/xor_peer_address.h"
#include "turnd/turn/request.h"

namespace turnd::turn {

void Server::handle_channel_bind(Request& r) noexcept {
  if (r.allocation == nullptr) return send_error(r, stun::error::kAllocationMismatch);
  stun::ChannelNumber channel;
  stun::XorPeerAddress peer;
  // The request MUST contain both attributes, with a number in
  // kMinChannelNumber..kMaxChannelNumber.
  auto channel_status = stun::ChannelNumber::get_from(r.message, channel);
  auto peer_status = stun::XorPeerAddress::get_from(r.message, peer);
  if (channel_status != stun::DecodeStatus::kOk || !channel.valid() ||
      peer_status != stun::DecodeStatus::kOk) {
    return send_error(r, stun::error::kBadRequest);
  }
  uint16_t error = 0;
  if (!peer_usable(r, peer.address, error)) return send_error(r, error);
  SteadyTime now = deps_.clock.now();
  switch (r.allocation->bind_channel(channel.number, peer.address,
                                     now + Seconds(policy_->options.channel_lifetime))) {
    case Allocation::BindResult::kConflict:
      LOG_DEBUG("turn", "channel 0x%04x or peer %s already bound otherwise", channel.number,
                log::pseudonym(peer.address).c_str());
      return send_error(r, stun::error::kBadRequest);
    case Allocation::BindResult::kFull:
      return send_error(r, stun::error::kInsufficientCapacity);
    case Allocation::BindResult::kOk:
      break;
  }
  if (!r.allocation->install_permission(peer.address,
                                        now + Seconds(policy_->options.permission_lifetime))) {
    return send_error(r, stun::error::kInsufficientCapacity);
  }
  stun::MessageBuilder b = start_response(r, stun::MessageClass::kSuccessResponse);
  finish_response(r, b);
}

}  // namespace turnd::turn

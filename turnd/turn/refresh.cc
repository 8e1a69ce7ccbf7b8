// Refresh (RFC 8656 §7.3): extend, or with LIFETIME 0 delete, an allocation.
#include "turnd/stun/attr/lifetime.h"
#include "turnd/stun/attr/requested_address_family.h"
#include "turnd/turn/request.h"

namespace turnd::turn {

void Server::handle_refresh(Request& r) noexcept {
  // A Refresh without an allocation (also a retransmitted LIFETIME 0 one) is 437.
  if (r.allocation == nullptr) return send_error(r, stun::error::kAllocationMismatch);
  stun::RequestedAddressFamily family;
  auto family_status = stun::RequestedAddressFamily::get_from(r.message, family);
  if (family_status == stun::DecodeStatus::kMalformed) {
    return send_error(r, stun::error::kBadRequest);
  }
  if (family_status == stun::DecodeStatus::kOk) {
    Family wanted = family.value == stun::kFamilyIPv6 ? Family::kIPv6 : Family::kIPv4;
    bool known = family.value == stun::kFamilyIPv4 || family.value == stun::kFamilyIPv6;
    if (!known || !r.allocation->has_family(wanted)) {
      return send_error(r, stun::error::kPeerAddressFamilyMismatch);
    }
  }
  bool zero = false;
  uint32_t lifetime = granted_lifetime(r.message, zero);
  if (zero) {
    delete_allocation(r.tuple, EndReason::kClient);
    r.allocation = nullptr;
    lifetime = 0;
  } else {
    r.allocation->set_expires(deps_.clock.now() + Seconds(lifetime));
  }
  stun::MessageBuilder b = start_response(r, stun::MessageClass::kSuccessResponse);
  stun::Lifetime{lifetime}.add_to(b);
  finish_response(r, b);
}

}  // namespace turnd::turn

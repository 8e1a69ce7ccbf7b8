#include "turnd/stun/constants.h"

namespace turnd::stun::error {

const char* reason_phrase(uint16_t code) noexcept {
  switch (code) {
    case kTryAlternate:
      return "Try Alternate";
    case kBadRequest:
      return "Bad Request";
    case kUnauthenticated:
      return "Unauthenticated";
    case kForbidden:
      return "Forbidden";
    case kUnknownAttribute:
      return "Unknown Attribute";
    case kAllocationMismatch:
      return "Allocation Mismatch";
    case kStaleNonce:
      return "Stale Nonce";
    case kAddressFamilyNotSupported:
      return "Address Family not Supported";
    case kWrongCredentials:
      return "Wrong Credentials";
    case kUnsupportedTransportProtocol:
      return "Unsupported Transport Protocol";
    case kPeerAddressFamilyMismatch:
      return "Peer Address Family Mismatch";
    case kAllocationQuotaReached:
      return "Allocation Quota Reached";
    case kRoleConflict:
      return "Role Conflict";
    case kServerError:
      return "Server Error";
    case kInsufficientCapacity:
      return "Insufficient Capacity";
    default:
      return "";
  }
}

}  // namespace turnd::stun::error

// RESERVATION-TOKEN (RFC 8656 §18.9): 8 bytes naming a port reserved by EVEN-PORT.
#pragma once

#include "turnd/stun/attr/opaque.h"

namespace turnd::stun {

using ReservationToken = OpaqueAttribute<attr::kReservationToken, 8, 8>;

}  // namespace turnd::stun

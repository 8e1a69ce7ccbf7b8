// ALTERNATE-SERVER (RFC 8489 §14.15): where a 300 Try Alternate sends the client.
#pragma once

#include "turnd/stun/attr/address.h"

namespace turnd::stun {

using AlternateServer = AddressAttribute<attr::kAlternateServer, false>;

}  // namespace turnd::stun

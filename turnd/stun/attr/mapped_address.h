// MAPPED-ADDRESS (RFC 8489 §14.1), the pre-XOR form kept for RFC 3489 clients.
#pragma once

#include "turnd/stun/attr/address.h"

namespace turnd::stun {

using MappedAddress = AddressAttribute<attr::kMappedAddress, false>;

}  // namespace turnd::stun

// XOR-MAPPED-ADDRESS (RFC 8489 §14.2): the client's reflexive transport address.
#pragma once

#include "turnd/stun/attr/address.h"

namespace turnd::stun {

using XorMappedAddress = AddressAttribute<attr::kXorMappedAddress, true>;

}  // namespace turnd::stun

// XOR-RELAYED-ADDRESS (RFC 8656 §18.5): the allocation's relayed address; twice for dual-stack.
#pragma once

#include "turnd/stun/attr/address.h"

namespace turnd::stun {

using XorRelayedAddress = AddressAttribute<attr::kXorRelayedAddress, true>;

}  // namespace turnd::stun

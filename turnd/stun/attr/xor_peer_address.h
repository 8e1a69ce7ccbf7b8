// XOR-PEER-ADDRESS (RFC 8656 §18.3): a peer's address; may repeat in CreatePermission.
#pragma once

#include "turnd/stun/attr/address.h"

namespace turnd::stun {

using XorPeerAddress = AddressAttribute<attr::kXorPeerAddress, true>;

}  // namespace turnd::stun

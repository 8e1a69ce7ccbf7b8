// REQUESTED-ADDRESS-FAMILY (RFC 8656 §18.8): 0x01 IPv4 or 0x02 IPv6.
#pragma once

#include "turnd/stun/attr/one_byte.h"

namespace turnd::stun {

using RequestedAddressFamily = OneByteAttribute<attr::kRequestedAddressFamily>;

}  // namespace turnd::stun

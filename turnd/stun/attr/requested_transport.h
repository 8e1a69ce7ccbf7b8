// REQUESTED-TRANSPORT (RFC 8656 §18.7): the relay protocol; 17 (UDP) is the only one served.
#pragma once

#include "turnd/stun/attr/one_byte.h"

namespace turnd::stun {

using RequestedTransport = OneByteAttribute<attr::kRequestedTransport>;

}  // namespace turnd::stun

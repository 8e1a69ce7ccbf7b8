// ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.11): asks for an IPv6 relay besides the IPv4 one.
#pragma once

#include "turnd/stun/attr/one_byte.h"

namespace turnd::stun {

using AdditionalAddressFamily = OneByteAttribute<attr::kAdditionalAddressFamily>;

}  // namespace turnd::stun

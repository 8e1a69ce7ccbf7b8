// SOFTWARE (RFC 8489 §14.14): sent only when software-attribute is on.
#pragma once

#include "turnd/stun/attr/opaque.h"

namespace turnd::stun {

using Software = OpaqueAttribute<attr::kSoftware, 0, 763>;

}  // namespace turnd::stun

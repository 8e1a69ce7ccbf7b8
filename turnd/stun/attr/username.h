// USERNAME (RFC 8489 §14.3): UTF-8, at most 513 bytes.
#pragma once

#include "turnd/stun/attr/opaque.h"

namespace turnd::stun {

using Username = OpaqueAttribute<attr::kUsername, 0, 513>;

}  // namespace turnd::stun

// USERHASH (RFC 8489 §14.4): SHA-256(username ":" realm), 32 bytes.
#pragma once

#include "turnd/stun/attr/opaque.h"

namespace turnd::stun {

using Userhash = OpaqueAttribute<attr::kUserhash, 32, 32>;

}  // namespace turnd::stun

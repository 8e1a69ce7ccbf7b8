// NONCE (RFC 8489 §14.10): fewer than 128 characters, at most 763 bytes.
#pragma once

#include "turnd/stun/attr/opaque.h"

namespace turnd::stun {

using Nonce = OpaqueAttribute<attr::kNonce, 0, 763>;

}  // namespace turnd::stun

// REALM (RFC 8489 §14.9): fewer than 128 characters, at most 763 bytes.
#pragma once

#include "turnd/stun/attr/opaque.h"

namespace turnd::stun {

using Realm = OpaqueAttribute<attr::kRealm, 0, 763>;

}  // namespace turnd::stun

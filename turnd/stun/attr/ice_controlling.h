// ICE-CONTROLLING (RFC 8445 §7.1.3, §16.1): the sender believes it is in the
// controlling role; the value is its tie-breaker.
#pragma once

#include "turnd/stun/attr/tie_breaker.h"

namespace turnd::stun {

using IceControlling = TieBreakerAttribute<attr::kIceControlling>;

}  // namespace turnd::stun

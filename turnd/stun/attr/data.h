// DATA (RFC 8656 §18.4): the application payload of Send and Data indications.
#pragma once

#include "turnd/stun/attr/opaque.h"

namespace turnd::stun {

using Data = OpaqueAttribute<attr::kData, 0, 65535>;

}  // namespace turnd::stun

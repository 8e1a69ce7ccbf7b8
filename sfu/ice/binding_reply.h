// The ICE-lite agent's answers to a Binding request, built into the caller's
// buffer. Every answer carries FINGERPRINT (RFC 8445 §7.1, §7.3); answers to
// authenticated requests also carry MESSAGE-INTEGRITY with our password
// (RFC 8489 §9.1.4). Each returns the reply's size, 0 when it did not fit.
#pragma once

#include <cstdint>

#include "turnd/common/address.h"
#include "turnd/common/bytes.h"
#include "turnd/stun/attr/unknown_attributes.h"
#include "turnd/stun/integrity.h"
#include "turnd/stun/message.h"

namespace turnd::sfu::ice {

// Binding success: XOR-MAPPED-ADDRESS = the request's source (RFC 8445 §7.3.1.2).
size_t build_binding_success(const stun::MessageView& request, const SocketAddress& source,
                             stun::MacContext& mac, Bytes key, MutableBytes out) noexcept;

// Binding error with ERROR-CODE `code` (and UNKNOWN-ATTRIBUTES for 420);
// signed when `mac` is given, unsigned otherwise (400/401 before the request
// is authenticated: there is no key the peer would accept).
size_t build_binding_error(const stun::MessageView& request, uint16_t code, MutableBytes out,
                           stun::MacContext* mac = nullptr, Bytes key = {},
                           const stun::UnknownAttributes* unknown = nullptr) noexcept;

}  // namespace turnd::sfu::ice

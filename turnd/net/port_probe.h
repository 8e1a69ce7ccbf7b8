// Refuses to start a second server on ports another one already holds.
// SO_REUSEPORT lets sockets of the same user share a port, so without this
// check a second turnd (or a coturn run as the same user) would silently
// split the traffic with the first.
#pragma once

#include "turnd/common/address.h"

namespace turnd::net {

enum class ProbeProtocol { kUdp, kTcp };

// Throws std::runtime_error naming the address when something already binds it.
void ensure_port_free(const SocketAddress& address, ProbeProtocol protocol);

}  // namespace turnd::net

// Path: where a packet came from and where the answer goes back to — the
// peer's transport address as we see it (a TURN relayed address when the
// peer reached us through a relay) and the local socket it arrived on (an id
// the owner assigns: a UDP socket's index, a TCP connection's number). With
// the SFU's own address and the protocol implied by the socket, it names the
// 5-tuple of an ICE candidate pair.
#pragma once

#include <cstddef>
#include <cstdint>

#include "turnd/common/address.h"

namespace turnd::sfu::ice {

struct Path {
  SocketAddress remote;
  uint32_t socket = 0;

  bool operator==(const Path& other) const noexcept {
    return socket == other.socket && remote == other.remote;
  }
};

struct PathHash {
  size_t operator()(const Path& p) const noexcept {
    return p.remote.hash() ^ (static_cast<size_t>(p.socket) * 0x9E3779B97F4A7C15ull);
  }
};

}  // namespace turnd::sfu::ice

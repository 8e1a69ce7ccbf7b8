// Per-worker TURN counters. Names follow coturn's Prometheus metrics where
// the two overlap, so dashboards carry over (see docs/METRICS.md later).
#pragma once

#include <array>

#include "turnd/common/counter.h"
#include "turnd/turn/io.h"

namespace turnd::turn {

struct Metrics {
  Counter binding_requests;
  Counter binding_responses;
  Counter allocations_created;
  Counter allocations_active;                       // gauge
  std::array<Counter, 3> allocations_by_transport;  // created, indexed by ClientTransport
  std::array<Counter, 3> active_by_transport;       // gauge, indexed by ClientTransport
  Counter allocations_expired;
  Counter auth_failures;
  Counter auth_throttled;  // answered 401 unchecked while their address and user name wait
  Counter stale_nonces;
  Counter error_responses;
  Counter denied_peers;
  Counter quota_rejections;
  Counter malformed_packets;     // not STUN, not ChannelData, or broken
  Counter dropped_packets;       // valid but undeliverable (no allocation/permission/channel)
  Counter rate_limited_packets;  // max-bps
  Counter relay_send_errors;
  Counter packets_from_clients;  // ChannelData and Send indications to relay
  Counter bytes_from_clients;
  Counter packets_to_peers;  // through relay sockets (the kernel)
  Counter bytes_to_peers;
  Counter packets_to_local_peers;  // handed to an in-process peer (the SFU)
  Counter bytes_to_local_peers;
  Counter packets_from_peers;
  Counter bytes_from_peers;
};

}  // namespace turnd::turn

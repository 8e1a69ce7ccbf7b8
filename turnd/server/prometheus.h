// Prometheus text exposition of the workers' counters. Names follow coturn's
// where the two servers measure the same thing (turn_total_allocations,
// turn_total_traffic_*, stun_binding_*), so existing dashboards work; turnd's
// own counters are turnd_*. No user names or addresses as labels.
#pragma once

#include <span>
#include <string>

#include "turnd/net/datagram_io.h"
#include "turnd/net/stream_listener.h"
#include "turnd/turn/metrics.h"

namespace turnd::server {

struct MetricsSource {
  const turn::Metrics* turn = nullptr;
  const net::DatagramIo* io = nullptr;
};

std::string render_prometheus(std::span<const MetricsSource> workers);

struct SessionLogStats;
// The session-log writer's gauges and counters (turnd_session_log_*);
// `queued_in_workers`: events not yet taken from the workers' queues.
std::string render_session_log(const SessionLogStats& stats, uint64_t queued_in_workers);

// The SFU's gauges and counters (turnd_sfu_*).
struct SfuGauges;
std::string render_sfu(const SfuGauges& gauges);
struct BridgeCounters;
std::string render_bridge(const BridgeCounters& counters);

// The workers' TCP and TLS listeners, summed: PROXY-protocol refusals
// (turnd_proxy_protocol_refused_total) and, with `shared_port`, where the
// connections on the port shared by the web and TURN over TLS went
// (turnd_shared_port_connections_total{route=...}).
std::string render_listeners(std::span<const net::ListenerCounts* const> workers, bool shared_port);

}  // namespace turnd::server

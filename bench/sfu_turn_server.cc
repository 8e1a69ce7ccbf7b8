#include "bench/sfu_turn_server.h"

#include <signal.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include "bench/control_channel.h"
#include "bench/sfu_media_plane.h"
#include "turnd/common/log.h"
#include "turnd/server/daemon.h"
#include "turnd/server/sfu_service.h"
#include "turnd/server/shared_state.h"
#include "turnd/server/worker.h"

namespace turnd::sfu::bench {
namespace {

using nlohmann::json;

config::Config read_config(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::stringstream text;
  text << in.rdbuf();
  return config::parse_text(text.str(), file);
}

// The TURN side's counters, summed over the workers (relaxed reads of
// single-writer counters, from the media thread).
json turn_stats(const std::vector<std::unique_ptr<server::Worker>>& workers,
                const server::SfuBridge& bridge) {
  uint64_t from_clients = 0, to_peers = 0, to_local = 0, from_peers = 0, dropped = 0, errors = 0;
  for (const auto& w : workers) {
    const turn::Metrics& m = w->metrics();
    from_clients += m.packets_from_clients.get();
    to_peers += m.packets_to_peers.get();
    to_local += m.packets_to_local_peers.get();
    from_peers += m.packets_from_peers.get();
    dropped += m.dropped_packets.get() + m.rate_limited_packets.get();
    errors += m.relay_send_errors.get();
  }
  server::BridgeCounters b = bridge.counters();
  return {{"packets_from_clients", from_clients},
          {"packets_to_peers", to_peers},
          {"packets_to_local_peers", to_local},
          {"packets_from_peers", from_peers},
          {"dropped_packets", dropped},
          {"relay_send_errors", errors},
          {"bridge_to_sfu", b.to_sfu},
          {"bridge_from_sfu", b.from_sfu},
          {"bridge_dropped", b.dropped}};
}

}  // namespace

int serve_sfu_behind_turn(int control_fd, const std::string& config_file) {
  try {
    net::init_libevent_threads();
    ::signal(SIGPIPE, SIG_IGN);
    log::configure(log::Level::kWarning, "", true);
    auto shared = std::make_unique<server::SharedState>(read_config(config_file));
    const config::Config& c = shared->config;
    const size_t count = server::worker_count(c);
    const std::vector<SocketAddress> sfu_addresses = server::sfu_media_addresses(c);
    // The daemon's order: bridge, workers (each attached to its port), SFU.
    server::SfuBridge bridge(count, sfu_addresses, c.sfu_inprocess_relay);
    std::vector<std::unique_ptr<server::Worker>> workers;
    for (size_t i = 0; i < count; ++i) {
      workers.push_back(std::make_unique<server::Worker>(*shared, i, nullptr, &bridge.port(i)));
    }
    {
      MediaPlane plane(control_fd, sfu_addresses.front(), &bridge,
                       [&](json& s) { s["turn"] = turn_stats(workers, bridge); });
      // Whichever way this block ends, the workers stop before the plane goes.
      struct StopWorkers {
        std::vector<std::unique_ptr<server::Worker>>& workers;
        ~StopWorkers() {
          for (auto& w : workers) w->stop();
          for (auto& w : workers) w->join();
        }
      } stop_workers{workers};
      for (auto& w : workers) w->start();
      json ready = plane.stats();
      ready["op"] = "ready";
      ready["port"] = plane.address().port();
      ready["workers"] = count;
      ready["inprocess"] = c.sfu_inprocess_relay;
      write_frame(control_fd, ready);
      plane.run();    // the SFU's media thread, here the main thread
    }                 // the plane lets go of the bridge, the conference ends
    workers.clear();  // the allocations end
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sfu_turn_load --serve: %s\n", e.what());
    return 1;
  }
}

}  // namespace turnd::sfu::bench

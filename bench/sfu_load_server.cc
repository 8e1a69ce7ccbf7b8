#include "bench/sfu_load_server.h"

#include <cstdio>

#include "bench/control_channel.h"
#include "turnd/common/log.h"

namespace turnd::sfu::bench {

int serve_sfu(int control_fd) {
  try {
    net::init_libevent_threads();
    log::configure(log::Level::kWarning, "", true);
    MediaPlane plane(control_fd, *SocketAddress::parse("127.0.0.1"), nullptr);
    nlohmann::json ready = plane.stats();
    ready["op"] = "ready";
    ready["port"] = plane.address().port();
    write_frame(control_fd, ready);
    plane.run();  // SfuService's media thread
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sfu_load --serve: %s\n", e.what());
    return 1;
  }
}

}  // namespace turnd::sfu::bench

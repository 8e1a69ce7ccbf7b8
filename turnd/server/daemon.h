// Daemon: builds the shared state and the workers from a Config, runs until
// SIGTERM/SIGINT, then stops the workers and returns.
#pragma once

#include "turnd/config/config.h"

namespace turnd::server {

// Throws std::runtime_error on a start-up failure (cannot bind, bad certificate).
int run_daemon(config::Config config);

}  // namespace turnd::server

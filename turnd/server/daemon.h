// Daemon: builds the shared state and the workers from a Config, runs until
// SIGTERM/SIGINT, then stops the workers and returns.
#pragma once

#include <cstddef>
#include <functional>

#include "turnd/config/config.h"

namespace turnd::server {

// Loads the configuration again the way it was loaded at start (file and
// command line); throws config::ConfigError. Called on SIGHUP.
using ConfigLoader = std::function<config::Config()>;

// The number of TURN workers (relay-threads, or one per online CPU).
size_t worker_count(const config::Config& c);

// Points the process's log at what `config` says (level, file, privacy);
// at start and on every reload.
void configure_logging(const config::Config& config);

// Throws std::runtime_error on a start-up failure (cannot bind, bad certificate).
int run_daemon(config::Config config, ConfigLoader reload);

}  // namespace turnd::server

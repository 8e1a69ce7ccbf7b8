// What a configuration reload (SIGHUP) can change in a running server, and
// what needs a restart. Credentials, REST secrets, users, peer rules, quotas,
// lifetimes, options, log settings and the TLS certificate are applied live;
// listeners, relay addresses and ports, and the thread count are not.
#pragma once

#include <string>
#include <vector>

#include "turnd/config/config.h"

namespace turnd::server {

// The keys whose change `next` brings that only a restart applies.
std::vector<std::string> keys_needing_restart(const config::Config& running,
                                              const config::Config& next);

}  // namespace turnd::server

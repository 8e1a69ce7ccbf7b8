// The effective configuration as `key=value` lines for the start-up log, with
// every secret redacted (REST secrets, user keys) and nothing that would
// identify a person beyond what the admin wrote.
#pragma once

#include <string>
#include <vector>

#include "turnd/config/config.h"

namespace turnd::config {

std::vector<std::string> describe(const Config& config);

}  // namespace turnd::config

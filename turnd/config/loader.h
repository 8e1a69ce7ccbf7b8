// Steps shared by parse_text() and load(); not part of the public interface.
#pragma once

#include <string_view>

#include "turnd/config/config.h"

namespace turnd::config {

// Applies every line of a configuration file, "NAME:LINE" in errors and
// warnings. Does not finalize.
void apply_text(Config& config, std::string_view text, std::string_view name);

// Writes config.warnings to stderr, one "turnd: warning: ..." line each.
void print_warnings(const Config& config);

}  // namespace turnd::config

// Durations written with a unit, as in `log-retention=5d`: a decimal number
// followed by s (seconds), m (minutes), h (hours) or d (days). The unit is
// required: a bare "5" would leave the reader guessing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace turnd::config {

// Seconds, or nullopt when `text` is not NUMBER UNIT or does not fit 32 bits.
std::optional<uint32_t> parse_duration(std::string_view text);

// The shortest exact form: 432000 -> "5d", 5400 -> "90m", 61 -> "61s".
std::string format_duration(uint32_t seconds);

}  // namespace turnd::config

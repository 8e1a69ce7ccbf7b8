#include "turnd/config/duration.h"

#include <charconv>
#include <limits>

namespace turnd::config {
namespace {

struct Unit {
  char suffix;
  uint32_t seconds;
};

constexpr Unit kUnits[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};

}  // namespace

std::optional<uint32_t> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  char suffix = text.back();
  std::string_view digits = text.substr(0, text.size() - 1);
  uint64_t number = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  for (const Unit& unit : kUnits) {
    if (unit.suffix != suffix) continue;
    if (number > std::numeric_limits<uint32_t>::max() / unit.seconds) return std::nullopt;
    return static_cast<uint32_t>(number * unit.seconds);
  }
  return std::nullopt;
}

std::string format_duration(uint32_t seconds) {
  for (const Unit& unit : kUnits) {
    if (seconds != 0 && seconds % unit.seconds == 0) {
      return std::to_string(seconds / unit.seconds) + unit.suffix;
    }
  }
  return "0s";
}

}  // namespace turnd::config

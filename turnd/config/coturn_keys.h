// coturn keys that turnd does not implement but accepts so an existing
// turnserver.conf loads: most are ignored with a warning, a few are refused
// because ignoring them would silently change what the admin asked for.
// One table, one reason per key; docs/CONFIG.md lists the same keys.
#pragma once

#include <span>
#include <string_view>

namespace turnd::config {

enum class CoturnAction {
  kIgnore,  // accepted with any value, warning printed
  kReject,  // error
};

struct CoturnKey {
  std::string_view name;
  CoturnAction action;
  std::string_view reason;
};

std::span<const CoturnKey> coturn_keys();
const CoturnKey* find_coturn_key(std::string_view name);  // nullptr when not listed

}  // namespace turnd::config

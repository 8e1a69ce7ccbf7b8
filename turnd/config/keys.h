// The table of keys turnd understands, each with the handler that parses its
// value into Config. docs/CONFIG.md and conf/turnd.conf describe every entry
// (a unit test checks that they mention every name).
#pragma once

#include <span>
#include <string_view>

#include "turnd/config/config.h"
#include "turnd/config/values.h"

namespace turnd::config {

enum class ValueKind {
  kFlag,           // `flag` or `flag=true|false|...`
  kValue,          // `key=value`, the value is required
  kOptionalValue,  // either (stale-nonce: bare means the default)
};

struct KeySpec {
  std::string_view name;
  ValueKind kind;
  void (*apply)(Config& config, const Field& field);
};

std::span<const KeySpec> turnd_keys();
const KeySpec* find_key(std::string_view name);  // nullptr when unknown

}  // namespace turnd::config

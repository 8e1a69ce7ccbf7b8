// Fuzz target for the configuration parser: any bytes given to parse_text()
// either parse or throw ConfigError; nothing else may happen.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "turnd/config/config.h"

// NOLINTNEXTLINE(readability-identifier-naming): the libFuzzer entry point
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    turnd::config::parse_text(text, "fuzz.conf");
  } catch (const turnd::config::ConfigError&) {
    // Expected for most inputs.
  }
  return 0;
}

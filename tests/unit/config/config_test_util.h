// Helpers shared by the config unit tests.
#pragma once

#include <string>
#include <string_view>

#include "turnd/config/config.h"

namespace turnd::config::test_util {

// The ConfigError message parse_text(text, "turnd.conf") throws, or
// "no error".
inline std::string parse_error(std::string_view text) {
  try {
    parse_text(text, "turnd.conf");
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

// Lowercase hex of a byte array, for comparing keys with md5sum output.
template <typename Bytes>
std::string hex(const Bytes& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (auto byte : bytes) {
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0x0f];
  }
  return out;
}

}  // namespace turnd::config::test_util

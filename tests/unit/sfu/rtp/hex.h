// Test helper: bytes from hex text, whitespace ignored ("80 60 00 01").
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace turnd::sfu::rtp::test {

inline std::vector<std::byte> hex(std::string_view text) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<std::byte> out;
  int high = -1;
  for (char c : text) {
    int n = nibble(c);
    if (n < 0) continue;
    if (high < 0) {
      high = n;
    } else {
      out.push_back(static_cast<std::byte>(high << 4 | n));
      high = -1;
    }
  }
  return out;
}

}  // namespace turnd::sfu::rtp::test

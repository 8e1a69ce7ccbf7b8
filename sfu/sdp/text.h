// String helpers shared by the SDP parser and writers.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace turnd::sfu::sdp::text {

// Splits on single spaces; runs of spaces give no empty tokens.
std::vector<std::string_view> split(std::string_view s, char separator = ' ');

bool iequals(std::string_view a, std::string_view b) noexcept;
std::string lower(std::string_view s);

// A decimal number that fits T and uses every character; nullopt otherwise.
template <typename T>
std::optional<T> number(std::string_view s) noexcept {
  T value{};
  if (s.empty() || s.front() == '+' || s.front() == '-') return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// Splits "name:value" at the first ':'; value is nullopt without one.
std::pair<std::string_view, std::optional<std::string_view>> split_attribute(std::string_view s);

}  // namespace turnd::sfu::sdp::text

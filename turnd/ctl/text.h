// Small text helpers for turnctl's output and option values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace turnd::ctl {

// "2024-05-01T12:00:00Z".
std::string format_utc(int64_t unix_seconds);

// "2024-05-01" (midnight UTC), "2024-05-01T12:00Z" or "2024-05-01T12:00:00Z";
// nullopt for anything else.
std::optional<int64_t> parse_utc(std::string_view text);

// Rows printed as left-aligned columns separated by two spaces, the first row
// being the header.
class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string str() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace turnd::ctl

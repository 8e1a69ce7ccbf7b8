#include "turnd/ctl/text.h"

#include <ctime>

namespace turnd::ctl {

std::string format_utc(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::optional<int64_t> parse_utc(std::string_view text) {
  std::tm tm{};
  const char* formats[] = {"%Y-%m-%d", "%Y-%m-%dT%H:%MZ", "%Y-%m-%dT%H:%M:%SZ"};
  std::string copy(text);
  for (const char* format : formats) {
    tm = {};
    const char* end = strptime(copy.c_str(), format, &tm);
    if (end != nullptr && *end == '\0') {
      // strptime normalises nothing: 2024-02-31 must not become March 2nd.
      std::tm check = tm;
      std::time_t t = timegm(&check);
      if (check.tm_mday != tm.tm_mday || check.tm_mon != tm.tm_mon) return std::nullopt;
      return static_cast<int64_t>(t);
    }
  }
  return std::nullopt;
}

std::string Table::str() const {
  std::vector<size_t> widths;
  for (const auto& row : rows_) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows_) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace turnd::ctl

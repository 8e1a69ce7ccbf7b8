// Splits one line of a coturn-style configuration file into key and value:
//   key=value        whitespace around key and value is trimmed
//   key="value"      double quotes keep spaces and " #" (no escapes inside)
//   flag             a bare key: value empty
//   # comment        whole line; also after a key or value when preceded by
//                    whitespace ("verbose  # chatty", "realm=a.org #ours")
// Blank lines and comments give nullopt. Errors throw "WHERE: reason".
#pragma once

#include <optional>
#include <string_view>

namespace turnd::config {

struct Entry {
  std::string_view key;
  std::string_view value;  // a view into the line
};

std::optional<Entry> split_line(std::string_view line, std::string_view where);

}  // namespace turnd::config

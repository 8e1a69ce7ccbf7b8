// Splitting turnctl's arguments into words and options. Options may come
// anywhere after the program name, as --name=VALUE or --name VALUE (for the
// options that take a value) or --flag; "--" ends the options. Which options a
// command accepts is checked later, against the command table.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace turnd::ctl {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Arguments {
  std::vector<std::string> words;  // command words and operands
  std::map<std::string, std::optional<std::string>, std::less<>> options;  // value or flag
  std::optional<std::string> config_file;  // -c FILE / --config FILE
  bool help = false;                       // -h / --help

  bool has(std::string_view name) const { return options.contains(name); }
  // The value of --name, or nullopt when absent.
  std::optional<std::string> value(std::string_view name) const;
};

// Throws UsageError for an unknown option, a missing value, a value given to a
// flag or an option given twice.
Arguments split_arguments(std::span<const char* const> args);

}  // namespace turnd::ctl

#include "turnd/ctl/args.h"

#include <algorithm>

namespace turnd::ctl {
namespace {

// Every option turnctl knows; the command table says which command takes which.
constexpr std::string_view kValueOptions[] = {
    "config",   "database", "migrations", "name", "max", "expires", "realm",
    "password", "code",     "retention",  "from", "to",  "format",  "reports"};
constexpr std::string_view kFlagOptions[] = {"moderator", "recording", "clear", "help"};

bool takes_value(std::string_view name) {
  return std::ranges::find(kValueOptions, name) != std::end(kValueOptions);
}

bool is_flag(std::string_view name) {
  return std::ranges::find(kFlagOptions, name) != std::end(kFlagOptions);
}

}  // namespace

std::optional<std::string> Arguments::value(std::string_view name) const {
  auto it = options.find(name);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

Arguments split_arguments(std::span<const char* const> args) {
  Arguments out;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i] != nullptr ? args[i] : "";
    if (options_done || !arg.starts_with('-') || arg == "-") {
      out.words.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "-h") {
      out.help = true;
      continue;
    }
    std::string name;
    std::optional<std::string> value;
    if (arg == "-c" || arg.starts_with("-c=")) {
      name = "config";
      if (arg.size() > 2) value = std::string(arg.substr(3));
    } else if (arg.starts_with("--")) {
      std::string_view body = arg.substr(2);
      size_t equals = body.find('=');
      name = std::string(body.substr(0, equals));
      if (equals != std::string_view::npos) value = std::string(body.substr(equals + 1));
    } else {
      throw UsageError("unknown option " + std::string(arg));
    }
    if (takes_value(name)) {
      if (!value) {
        if (i + 1 >= args.size() || args[i + 1] == nullptr) {
          throw UsageError("--" + name + " needs a value");
        }
        value = args[++i];
      }
    } else if (is_flag(name)) {
      if (value) throw UsageError("--" + name + " takes no value");
    } else {
      throw UsageError("unknown option --" + name);
    }
    if (name == "help") {
      out.help = true;
    } else if (name == "config") {
      if (out.config_file) throw UsageError("-c/--config given twice");
      if (value->empty()) throw UsageError("-c needs a file name");
      out.config_file = *value;
    } else if (!out.options.emplace(name, value).second) {
      throw UsageError("--" + name + " given twice");
    }
  }
  return out;
}

}  // namespace turnd::ctl

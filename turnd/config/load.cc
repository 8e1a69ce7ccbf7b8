// load(): the configuration file named by -c, then the command line.
#include <openssl/crypto.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "turnd/config/config.h"
#include "turnd/config/keys.h"
#include "turnd/config/loader.h"
#include "turnd/config/users.h"
#include "turnd/config/values.h"

namespace turnd::config {
namespace {

constexpr std::string_view kCommandLine = "command line";

struct Option {
  std::string_view key;
  std::string_view value;
};

struct CommandLine {
  std::optional<std::string> config_file;
  std::vector<Option> options;  // in order, without -c
};

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

std::string read_file(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) fail(path, std::string("cannot open: ") + std::strerror(errno));
  std::string text;
  char buffer[4096];
  size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof(buffer), file.get())) > 0)
    text.append(buffer, count);
  OPENSSL_cleanse(buffer, sizeof(buffer));
  if (std::ferror(file.get())) fail(path, std::string("cannot read: ") + std::strerror(errno));
  return text;
}

// "--key=value" or "--flag"; a key that needs a value must use '='.
Option parse_long_option(std::string_view arg) {
  std::string_view body = arg.substr(2);
  auto equals = body.find('=');
  Option option{body.substr(0, equals), {}};
  if (option.key.empty()) fail(kCommandLine, "unexpected argument " + quoted(arg));
  if (equals != std::string_view::npos) {
    option.value = body.substr(equals + 1);
  } else if (const KeySpec* spec = find_key(option.key); spec && spec->kind == ValueKind::kValue) {
    std::string flag = "--" + std::string(option.key);
    fail(kCommandLine, flag + " needs a value: " + flag + "=VALUE");
  }
  return option;
}

void set_config_file(CommandLine& command_line, std::string_view path) {
  if (path.empty()) fail(kCommandLine, "-c needs a file name");
  if (command_line.config_file) fail(kCommandLine, "-c/--config given twice");
  command_line.config_file = std::string(path);
}

CommandLine split_command_line(std::span<const char* const> args) {
  CommandLine out;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i] != nullptr ? args[i] : "";
    if (arg == "-c" || arg == "--config") {
      set_config_file(out, i + 1 < args.size() && args[i + 1] ? args[++i] : "");
    } else if (arg.starts_with("-c=") || arg.starts_with("--config=")) {
      set_config_file(out, arg.substr(arg.find('=') + 1));
    } else if (arg == "-v") {
      out.options.push_back({"verbose", {}});
    } else if (arg.starts_with("--")) {
      out.options.push_back(parse_long_option(arg));
    } else {
      fail(kCommandLine, "unexpected argument " + quoted(arg));
    }
  }
  return out;
}

void apply_file(Config& config, const std::string& path) {
  std::string text = read_file(path);
  try {
    apply_text(config, text, path);
  } catch (...) {
    OPENSSL_cleanse(text.data(), text.size());
    throw;
  }
  OPENSSL_cleanse(text.data(), text.size());
}

}  // namespace

Config load(int argc, const char* const* argv) {
  std::span<const char* const> args(argv, argc > 0 ? static_cast<size_t>(argc) : 0);
  CommandLine command_line = split_command_line(args.empty() ? args : args.subspan(1));
  Config config;
  PasswordWipe wipe(config);
  if (command_line.config_file) {
    config.config_file = *command_line.config_file;
    apply_file(config, config.config_file);
  }
  for (const Option& option : command_line.options) {
    apply(config, option.key, option.value, kCommandLine);
  }
  finalize(config, config.config_file.empty() ? kCommandLine : config.config_file);
  print_warnings(config);
  return config;
}

}  // namespace turnd::config

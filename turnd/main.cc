// turnd: a TURN/STUN server. Parses the command line and the config file,
// then hands over to server::run_daemon. Errors become one clear line.
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "turnd/config/config.h"
#include "turnd/server/daemon.h"

namespace {

constexpr const char* kUsage =
    "usage: turnd [-c FILE] [--key=value ...]\n"
    "  -c FILE        configuration file (coturn-style key=value lines)\n"
    "  --key=value    any configuration key; overrides the file\n"
    "  -h, --help     this text\n"
    "  --version      print the version\n"
    "Keys are documented in docs/CONFIG.md and conf/turnd.conf.\n";

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "-h") == 0 || std::strcmp(argv[i], "--help") == 0) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (std::strcmp(argv[i], "--version") == 0) {
      std::puts("turnd " TURND_VERSION);
      return 0;
    }
  }
  turnd::config::Config config;
  try {
    config = turnd::config::load(argc, argv);
  } catch (const turnd::config::ConfigError& e) {
    std::fprintf(stderr, "turnd: %s\n", e.what());
    return 2;
  }
  turnd::server::configure_logging(config);
  try {
    return turnd::server::run_daemon(std::move(config),
                                     [argc, argv] { return turnd::config::load(argc, argv); });
  } catch (const std::exception& e) {
    std::fprintf(stderr, "turnd: %s\n", e.what());
    return 1;
  }
}

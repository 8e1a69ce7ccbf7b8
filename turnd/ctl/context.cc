#include "turnd/ctl/context.h"

#include <unistd.h>

#include <ostream>
#include <system_error>

namespace turnd::ctl {
namespace {

std::filesystem::path program_dir() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

}  // namespace

Context::Context(Arguments args, config::Config config, Io& io)
    : args_(std::move(args)), config_(std::move(config)), io_(io) {
  if (args_.words.size() > 2) operands_.assign(args_.words.begin() + 2, args_.words.end());
}

std::string Context::database_url() const {
  if (auto url = args_.value("database")) {
    if (url->empty()) throw UsageError("--database needs a value");
    return *url;
  }
  if (!config_.database.empty()) return config_.database;
  throw UsageError(
      "no database: set database= in the config file (-c FILE) or pass --database=URL");
}

std::filesystem::path Context::migrations_dir() const {
  if (auto dir = args_.value("migrations")) return *dir;
  std::error_code ec;
  std::filesystem::path installed = program_dir() / ".." / "share" / "turnd" / "migrations";
  if (std::filesystem::is_directory(installed, ec)) return installed.lexically_normal();
  return (std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "db" / "migrations")
      .lexically_normal();
}

db::Database& Context::database() {
  if (!database_) database_.emplace(database_url(), "turnctl");
  return *database_;
}

void Context::print_notices() {
  if (!database_) return;
  for (const std::string& notice : database_->take_notices()) {
    io_.err << "turnctl: notice: " << notice << "\n";
  }
}

std::string Context::realm() const {
  if (auto realm = args_.value("realm")) return *realm;
  if (!config_.realm.empty()) return config_.realm;
  throw UsageError("no realm: pass --realm=REALM or set realm= in the config file (-c FILE)");
}

}  // namespace turnd::ctl

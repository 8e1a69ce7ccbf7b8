#include "turnd/ctl/context.h"

#include <ostream>
#include <system_error>

#include "db/migrations.h"
#include "db/report_files.h"

namespace turnd::ctl {

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
  return db::default_migrations_dir();
}

std::filesystem::path Context::reports_dir() const {
  if (auto dir = args_.value("reports")) return *dir;
  return db::default_reports_dir();
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

// What a turnctl command gets: its operands and options, the configuration,
// the streams, and a database connection made on first use.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"
#include "turnd/config/config.h"
#include "turnd/ctl/args.h"
#include "turnd/ctl/cli.h"

namespace turnd::ctl {

class Context {
 public:
  Context(Arguments args, config::Config config, Io& io);

  const std::vector<std::string>& operands() const { return operands_; }
  const Arguments& args() const { return args_; }
  const config::Config& config() const { return config_; }
  std::istream& in() { return io_.in; }
  std::ostream& out() { return io_.out; }
  std::ostream& err() { return io_.err; }
  bool in_is_terminal() const { return io_.in_is_terminal; }

  // --database, else the config's `database`; UsageError when neither is set.
  std::string database_url() const;
  // --migrations, else the installed share/turnd/migrations next to the
  // program, else the source tree's db/migrations.
  std::filesystem::path migrations_dir() const;
  // --reports, else the installed share/turnd/reports next to the program,
  // else the source tree's db/reports.
  std::filesystem::path reports_dir() const;
  // Connects on first call (db::ConnectError when it cannot).
  db::Database& database();
  // Prints the database server's notices to stderr ("turnctl: notice: ...").
  void print_notices();
  // --realm, else the config's `realm`, else UsageError.
  std::string realm() const;

 private:
  Arguments args_;
  config::Config config_;
  Io& io_;
  std::vector<std::string> operands_;
  std::optional<db::Database> database_;
};

}  // namespace turnd::ctl

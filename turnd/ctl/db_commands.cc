// turnctl db migrate|status|purge
#include <algorithm>
#include <cstdio>
#include <ostream>

#include "db/migrations.h"
#include "db/session_logs.h"
#include "turnd/config/duration.h"
#include "turnd/ctl/commands.h"
#include "turnd/ctl/text.h"

namespace turnd::ctl {
namespace {

// Days of log partitions kept ready ahead of today (and one behind, for
// sessions that started just before midnight).
constexpr int kPartitionDaysAhead = 7;

void ensure_partitions(Context& ctx) {
  int created = db::ensure_log_partitions(ctx.database(), 1, kPartitionDaysAhead);
  if (created > 0) ctx.out() << "created " << created << " log partitions\n";
}

std::string plural(int64_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

int db_migrate(Context& ctx) {
  auto migrations = db::load_migrations(ctx.migrations_dir());
  std::vector<int> applied = db::migrate(ctx.database(), migrations);
  for (const db::Migration& m : migrations) {
    if (std::ranges::find(applied, m.version) != applied.end()) {
      ctx.out() << "applied " << m.file_name() << "\n";
    }
  }
  if (applied.empty()) {
    ctx.out() << "schema up to date ("
              << plural(static_cast<int64_t>(migrations.size()), "migration") << ")\n";
  }
  ensure_partitions(ctx);
  return kExitOk;
}

int db_status(Context& ctx) {
  auto statuses = db::status(ctx.database(), ctx.migrations_dir());
  Table table({"VERSION", "NAME", "STATE", "APPLIED"});
  int pending = 0;
  int broken = 0;
  for (const db::MigrationStatus& s : statuses) {
    char version[16];
    std::snprintf(version, sizeof(version), "%03d", s.version);
    table.add(
        {version, s.name, db::to_string(s.state), s.applied_at ? format_utc(*s.applied_at) : "-"});
    pending += s.state == db::MigrationState::kPending;
    broken += s.state == db::MigrationState::kChanged || s.state == db::MigrationState::kUnknown;
  }
  ctx.out() << table.str();
  if (pending == 0 && broken == 0) {
    auto partitions = db::list_log_partitions(ctx.database());
    if (!partitions.empty()) {
      ctx.out() << "log partitions: " << partitions.size() << " ("
                << format_utc(partitions.front().from).substr(0, 10) << " .. "
                << format_utc(partitions.back().to - 1).substr(0, 10) << ")\n";
    }
  }
  if (pending > 0)
    ctx.out() << plural(pending, "migration") << " pending: run turnctl db migrate\n";
  if (broken > 0) {
    ctx.err() << "turnctl: the database schema does not match the migration files "
                 "(CHANGED: a file was edited after it was applied; unknown: the database is "
                 "newer than this turnctl)\n";
    return kExitFailure;
  }
  return kExitOk;
}

int db_purge(Context& ctx) {
  uint32_t retention = ctx.config().log_retention_seconds;
  if (auto text = ctx.args().value("retention")) {
    auto parsed = config::parse_duration(*text);
    if (!parsed || *parsed == 0) {
      throw UsageError("--retention: '" + *text + "' is not a duration: a number and s, m, h or d");
    }
    retention = *parsed;
  }
  db::PurgeResult r = db::purge_logs(ctx.database(), retention);
  ctx.out() << "purged session logs older than " << config::format_duration(retention)
            << " (started before " << format_utc(r.cutoff)
            << "): " << plural(r.dropped_partitions, "partition") << " dropped, "
            << plural(r.deleted_rows, "row") << " deleted\n";
  ensure_partitions(ctx);
  return kExitOk;
}

}  // namespace turnd::ctl

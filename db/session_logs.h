// Retention of the session logs (allocation_log, participation_log): both are
// partitioned by UTC day on their start time. Purging drops the partitions that
// lie wholly before the cutoff and deletes the older rows of the one that
// straddles it; the work is done by the SQL functions of migration 003, which
// the daemon's least-privilege role may call too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/database.h"

namespace turnd::db {

struct PurgeResult {
  int dropped_partitions = 0;
  int64_t deleted_rows = 0;  // rows deleted one by one from straddling partitions
  int64_t cutoff = 0;        // Unix seconds: everything that started before is gone
};

// Deletes every log row that started more than `retention_seconds` ago (by the
// database server's clock).
PurgeResult purge_logs(Database& db, uint32_t retention_seconds);
// Deletes every log row that started before `cutoff` (Unix seconds).
PurgeResult purge_logs_before(Database& db, int64_t cutoff);

// Creates the missing day partitions of both log tables from `days_back` days
// before today (UTC) to `days_ahead` days after it; returns how many it made.
int ensure_log_partitions(Database& db, int days_back = 1, int days_ahead = 7);

struct LogPartition {
  std::string table;      // "allocation_log"
  std::string partition;  // "allocation_log_p20240501"
  int64_t from = 0;       // Unix seconds, inclusive
  int64_t to = 0;         // exclusive
};

// The day partitions of both tables, by table then start.
std::vector<LogPartition> list_log_partitions(Database& db);

}  // namespace turnd::db

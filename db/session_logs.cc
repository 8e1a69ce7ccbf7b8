#include "db/session_logs.h"

#include "db/errors.h"
#include "db/native.h"

namespace turnd::db {
namespace {

PurgeResult purge(Database& db, const std::string& cutoff_sql, int64_t value) {
  return transact(db, [&](pqxx::work& work) {
    pqxx::row row = work.exec_params1(
        "SELECT p.dropped_partitions, p.deleted_rows, extract(epoch FROM c.cutoff)::bigint "
        "FROM (SELECT " +
            cutoff_sql + " AS cutoff) c, turnd_purge_logs(c.cutoff) p",
        value);
    return PurgeResult{row[0].as<int>(), row[1].as<int64_t>(), row[2].as<int64_t>()};
  });
}

}  // namespace

PurgeResult purge_logs(Database& db, uint32_t retention_seconds) {
  return purge(db, "now() - make_interval(secs => $1)", retention_seconds);
}

PurgeResult purge_logs_before(Database& db, int64_t cutoff) {
  return purge(db, "to_timestamp($1)", cutoff);
}

int ensure_log_partitions(Database& db, int days_back, int days_ahead) {
  return transact(db, [&](pqxx::work& work) {
    return work
        .exec_params1(
            "SELECT turnd_ensure_log_partitions(d - $1::int, d + $2::int) "
            "FROM (SELECT (now() AT TIME ZONE 'UTC')::date AS d) today",
            days_back, days_ahead)[0]
        .as<int>();
  });
}

std::vector<LogPartition> list_log_partitions(Database& db) {
  return transact(db, [](pqxx::work& work) {
    std::vector<LogPartition> out;
    pqxx::result r = work.exec(
        "SELECT parent.relname, child.relname, "
        "       extract(epoch FROM b[1]::timestamptz)::bigint, "
        "       extract(epoch FROM b[2]::timestamptz)::bigint "
        "FROM pg_inherits i "
        "JOIN pg_class child ON child.oid = i.inhrelid "
        "JOIN pg_class parent ON parent.oid = i.inhparent, "
        "LATERAL regexp_match(pg_get_expr(child.relpartbound, child.oid), "
        "  '^FOR VALUES FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)$') b "
        "WHERE i.inhparent IN ('allocation_log'::regclass, 'participation_log'::regclass) "
        "  AND b IS NOT NULL "
        "ORDER BY 1, 3");
    for (const auto& row : r) {
      out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<int64_t>(),
                     row[3].as<int64_t>()});
    }
    return out;
  });
}

}  // namespace turnd::db

#include "db/allocation_log.h"

#include <algorithm>
#include <tuple>

#include "db/log_rows.h"

namespace turnd::db {
namespace {

using log_rows::hex_bytea;
using log_rows::text_or_null;

// Staging rows keep their order (seq) so that, of two rows of one event in a
// batch, the end row wins.
constexpr const char* kCreateStaging =
    "CREATE TEMP TABLE IF NOT EXISTS turnd_allocation_staging ("
    " seq bigint, event_id uuid, started_at bigint, ended_at bigint, node text, realm text,"
    " user_hash bytea, client_prefix cidr, client_hash bytea, client_transport text,"
    " client_family text, relay_family text, bytes_from_client bigint, bytes_to_client bigint,"
    " packets_from_client bigint, packets_to_client bigint, end_reason text)"
    " ON COMMIT DELETE ROWS";

constexpr const char* kUpsert =
    "INSERT INTO allocation_log AS a (event_id, started_at, ended_at, node, realm, user_hash,"
    " client_prefix, client_hash, client_transport, client_family, relay_family,"
    " bytes_from_client, bytes_to_client, packets_from_client, packets_to_client, end_reason) "
    "SELECT DISTINCT ON (event_id) event_id, to_timestamp(started_at), to_timestamp(ended_at),"
    " node, realm, user_hash, client_prefix, client_hash, client_transport, client_family,"
    " relay_family, bytes_from_client, bytes_to_client, packets_from_client, packets_to_client,"
    " end_reason "
    "FROM turnd_allocation_staging ORDER BY event_id, ended_at IS NULL, seq DESC "
    "ON CONFLICT (event_id, started_at) DO UPDATE SET"
    " ended_at = excluded.ended_at, end_reason = excluded.end_reason,"
    " bytes_from_client = excluded.bytes_from_client, bytes_to_client = excluded.bytes_to_client,"
    " packets_from_client = excluded.packets_from_client,"
    " packets_to_client = excluded.packets_to_client "
    "WHERE a.ended_at IS NULL AND excluded.ended_at IS NOT NULL";

}  // namespace

void write_allocation_rows(Database& db, std::span<const AllocationRow> rows) {
  if (rows.empty()) return;
  transact(db, [&](pqxx::work& work) {
    log_rows::ensure_partitions(work, rows, [](const AllocationRow& r) { return r.started_at; });
    work.exec(kCreateStaging);
    {
      pqxx::stream_to copy(
          work, "turnd_allocation_staging",
          std::vector<std::string>{"seq", "event_id", "started_at", "ended_at", "node", "realm",
                                   "user_hash", "client_prefix", "client_hash", "client_transport",
                                   "client_family", "relay_family", "bytes_from_client",
                                   "bytes_to_client", "packets_from_client", "packets_to_client",
                                   "end_reason"});
      int64_t seq = 0;
      for (const AllocationRow& r : rows) {
        copy << std::make_tuple(
            seq++, r.event_id, r.started_at, r.ended_at, r.node, r.realm, hex_bytea(r.user_hash),
            text_or_null(r.client_prefix), hex_bytea(r.client_hash), r.client_transport,
            r.client_family, r.relay_family, static_cast<int64_t>(r.bytes_from_client),
            static_cast<int64_t>(r.bytes_to_client), static_cast<int64_t>(r.packets_from_client),
            static_cast<int64_t>(r.packets_to_client), text_or_null(r.end_reason));
      }
      copy.complete();
    }
    work.exec(kUpsert);
  });
}

int64_t close_crashed_allocations(Database& db, const std::string& node, int64_t ended_at) {
  return transact(db, [&](pqxx::work& work) {
    return static_cast<int64_t>(
        work.exec_params(
                "UPDATE allocation_log SET ended_at = greatest(started_at, to_timestamp($2)),"
                " end_reason = 'crash' WHERE node = $1 AND ended_at IS NULL",
                node, ended_at)
            .affected_rows());
  });
}

}  // namespace turnd::db

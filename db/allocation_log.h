// Writing allocation_log rows (migration 003): the session-log writer's side
// of the store. Rows arrive already pseudonymised; every write is an upsert on
// the event id, so writing a row twice (a replay after an outage) changes
// nothing and an end row completes the start row written before it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "db/database.h"

namespace turnd::db {

struct AllocationRow {
  std::string event_id;             // UUID text, made when the allocation started
  int64_t started_at = 0;           // Unix seconds
  std::optional<int64_t> ended_at;  // empty while it lives
  std::string node;
  std::string realm;
  std::string user_hash;         // hex; empty: none
  std::string client_prefix;     // "192.0.2.0/24"; empty: none
  std::string client_hash;       // hex; empty: none
  std::string client_transport;  // udp, tcp, tls
  std::string client_family;     // ipv4, ipv6
  std::string relay_family;      // ipv4, ipv6, dual
  uint64_t bytes_from_client = 0;
  uint64_t bytes_to_client = 0;
  uint64_t packets_from_client = 0;
  uint64_t packets_to_client = 0;
  std::string end_reason;  // empty while it lives

  bool operator==(const AllocationRow&) const = default;
};

// Writes `rows` in one transaction (COPY into a staging table, then one
// INSERT ... ON CONFLICT): a start row is inserted unless the event exists; an
// end row inserts or completes the row unless it has ended already. Creates
// the day partitions the rows need. Throws db::Error (ConnectError when the
// connection is gone); then nothing of the batch is written.
void write_allocation_rows(Database& db, std::span<const AllocationRow> rows);

// Ends the allocations `node` left open (turnd crashed or lost power) with
// end reason 'crash' at `ended_at` (Unix seconds; never before a row's
// start). Call before the new run writes any row. Returns how many.
int64_t close_crashed_allocations(Database& db, const std::string& node, int64_t ended_at);

}  // namespace turnd::db

// Writing participation_log rows (migration 003): one row per person per
// conference visit, written by the session-log thread like allocation rows —
// already pseudonymised, upserted on the event id so replays change nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "db/database.h"

namespace turnd::db {

struct ParticipationRow {
  std::string event_id;            // UUID text, made at the join
  int64_t joined_at = 0;           // Unix seconds
  std::optional<int64_t> left_at;  // empty while in the room
  std::string node;
  std::optional<int64_t> room_id;  // written as NULL when the room is gone
  std::string participant_hash;    // hex; empty: none
  std::string client_prefix;       // empty: none
  std::string client_hash;         // hex; empty: none
  bool moderator = false;
  std::vector<std::string> media_sent;  // audio, video, screen, data
  uint64_t bytes_from_participant = 0;
  uint64_t bytes_to_participant = 0;
  std::string end_reason;  // empty while in the room

  bool operator==(const ParticipationRow&) const = default;
};

// As write_allocation_rows: one transaction, COPY + upsert, partitions made.
void write_participation_rows(Database& db, std::span<const ParticipationRow> rows);

// Ends the visits `node` left open with end reason 'crash' at `ended_at`.
int64_t close_crashed_participations(Database& db, const std::string& node, int64_t ended_at);

}  // namespace turnd::db

#include "db/participation_log.h"

#include <algorithm>
#include <tuple>

#include "db/log_rows.h"

namespace turnd::db {
namespace {

using log_rows::hex_bytea;
using log_rows::text_or_null;

// A text[] literal of plain words ("{audio,video}"); the schema's CHECK
// refuses anything but the known media kinds.
std::string array_literal(const std::vector<std::string>& words) {
  std::string out = "{";
  for (size_t i = 0; i < words.size(); ++i) {
    if (i != 0) out += ',';
    out += '"';
    for (char c : words[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

constexpr const char* kCreateStaging =
    "CREATE TEMP TABLE IF NOT EXISTS turnd_participation_staging ("
    " seq bigint, event_id uuid, joined_at bigint, left_at bigint, node text, room_id bigint,"
    " participant_hash bytea, client_prefix cidr, client_hash bytea, moderator boolean,"
    " media_sent text[], bytes_from_participant bigint, bytes_to_participant bigint,"
    " end_reason text) ON COMMIT DELETE ROWS";

// A room deleted meanwhile leaves room_id NULL (as ON DELETE SET NULL would).
constexpr const char* kUpsert =
    "INSERT INTO participation_log AS p (event_id, joined_at, left_at, node, room_id,"
    " participant_hash, client_prefix, client_hash, moderator, media_sent,"
    " bytes_from_participant, bytes_to_participant, end_reason) "
    "SELECT DISTINCT ON (s.event_id) s.event_id, to_timestamp(s.joined_at),"
    " to_timestamp(s.left_at), s.node, r.id, s.participant_hash, s.client_prefix,"
    " s.client_hash, s.moderator, s.media_sent, s.bytes_from_participant,"
    " s.bytes_to_participant, s.end_reason "
    "FROM turnd_participation_staging s LEFT JOIN rooms r ON r.id = s.room_id "
    "ORDER BY s.event_id, s.left_at IS NULL, s.seq DESC "
    "ON CONFLICT (event_id, joined_at) DO UPDATE SET"
    " left_at = excluded.left_at, end_reason = excluded.end_reason,"
    " media_sent = excluded.media_sent,"
    " bytes_from_participant = excluded.bytes_from_participant,"
    " bytes_to_participant = excluded.bytes_to_participant "
    "WHERE p.left_at IS NULL AND excluded.left_at IS NOT NULL";

}  // namespace

void write_participation_rows(Database& db, std::span<const ParticipationRow> rows) {
  if (rows.empty()) return;
  transact(db, [&](pqxx::work& work) {
    log_rows::ensure_partitions(work, rows, [](const ParticipationRow& r) { return r.joined_at; });
    work.exec(kCreateStaging);
    {
      pqxx::stream_to copy(
          work, "turnd_participation_staging",
          std::vector<std::string>{"seq", "event_id", "joined_at", "left_at", "node", "room_id",
                                   "participant_hash", "client_prefix", "client_hash", "moderator",
                                   "media_sent", "bytes_from_participant", "bytes_to_participant",
                                   "end_reason"});
      int64_t seq = 0;
      for (const ParticipationRow& r : rows) {
        copy << std::make_tuple(seq++, r.event_id, r.joined_at, r.left_at, r.node, r.room_id,
                                hex_bytea(r.participant_hash), text_or_null(r.client_prefix),
                                hex_bytea(r.client_hash), r.moderator, array_literal(r.media_sent),
                                static_cast<int64_t>(r.bytes_from_participant),
                                static_cast<int64_t>(r.bytes_to_participant),
                                text_or_null(r.end_reason));
      }
      copy.complete();
    }
    work.exec(kUpsert);
  });
}

int64_t close_crashed_participations(Database& db, const std::string& node, int64_t ended_at) {
  return transact(db, [&](pqxx::work& work) {
    return static_cast<int64_t>(
        work.exec_params("UPDATE participation_log SET left_at = greatest(joined_at,"
                         " to_timestamp($2)), end_reason = 'crash'"
                         " WHERE node = $1 AND left_at IS NULL",
                         node, ended_at)
            .affected_rows());
  });
}

}  // namespace turnd::db

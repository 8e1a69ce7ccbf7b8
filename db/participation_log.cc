#include "db/participation_log.h"

#include <algorithm>
#include <tuple>

#include "db/native.h"

namespace turnd::db {
namespace {

std::optional<std::string> text_or_null(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::optional<std::string> hex_bytea(const std::string& hex) {
  if (hex.empty()) return std::nullopt;
  return "\\x" + hex;
}

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
  // Plain values: clang cannot capture structured bindings in the lambda below.
  int64_t first = rows.front().joined_at, last = rows.front().joined_at;
  for (const ParticipationRow& r : rows) {
    first = std::min(first, r.joined_at);
    last = std::max(last, r.joined_at);
  }
  transact(db, [&](pqxx::work& work) {
    work.exec_params(
        "SELECT turnd_ensure_log_partitions((to_timestamp($1) AT TIME ZONE 'UTC')::date,"
        " (to_timestamp($2) AT TIME ZONE 'UTC')::date)",
        first, last);
    work.exec(kCreateStaging);
    {
      pqxx::stream_to copy(
          work, "turnd_participation_staging",
          std::vector<std::string>{"seq", "event_id", "joined_at", "left_at", "node", "room_id",
                                   "participant_hash", "client_prefix", "client_hash",
                                   "moderator", "media_sent", "bytes_from_participant",
                                   "bytes_to_participant", "end_reason"});
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

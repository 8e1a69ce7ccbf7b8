#include "db/rooms.h"

#include <algorithm>

#include "db/errors.h"
#include "db/native.h"

namespace turnd::db {
namespace {

constexpr size_t kMaxSlug = 64;
constexpr size_t kMaxDisplayName = 200;

constexpr const char* kRoomColumns =
    "id, slug, display_name, coalesce(participant_code_hash, ''), "
    "coalesce(moderator_code_hash, ''), max_participants, extract(epoch FROM created_at)::bigint, "
    "extract(epoch FROM updated_at)::bigint, extract(epoch FROM expires_at)::bigint, "
    "recording_allowed";

Room to_room(const pqxx::row& row) {
  Room room;
  room.id = row[0].as<int64_t>();
  room.slug = row[1].as<std::string>();
  room.display_name = row[2].as<std::string>();
  room.participant_code_hash = row[3].as<std::string>();
  room.moderator_code_hash = row[4].as<std::string>();
  room.max_participants = row[5].get<int32_t>();
  room.created_at = row[6].as<int64_t>();
  room.updated_at = row[7].as<int64_t>();
  room.expires_at = row[8].get<int64_t>();
  room.recording_allowed = row[9].as<bool>();
  return room;
}

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

[[noreturn]] void no_room(std::string_view slug) {
  throw NotFound("no room " + quoted(slug));
}

void check_new_room(const NewRoom& room) {
  if (auto problem = slug_problem(room.slug)) throw InvalidInput(*problem);
  if (room.display_name.size() > kMaxDisplayName) {
    throw InvalidInput("display name longer than " + std::to_string(kMaxDisplayName) + " bytes");
  }
  if (room.max_participants && *room.max_participants <= 0) {
    throw InvalidInput("max participants must be greater than 0");
  }
}

}  // namespace

std::optional<std::string> slug_problem(std::string_view slug) {
  auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  };
  if (slug.empty() || slug.size() > kMaxSlug || !std::ranges::all_of(slug, allowed) ||
      slug.front() == '-' || slug.back() == '-') {
    return "bad room slug " + quoted(slug) + ": use 1-64 of a-z, 0-9 and '-', not first or last";
  }
  return std::nullopt;
}

Room create_room(Database& db, const NewRoom& room) {
  check_new_room(room);
  return transact(db, [&](pqxx::work& work) {
    pqxx::result r = work.exec_params(
        std::string("INSERT INTO rooms (slug, display_name, max_participants, expires_at, "
                    "recording_allowed) VALUES ($1, $2, $3, to_timestamp($4), $5) "
                    "ON CONFLICT (slug) DO NOTHING RETURNING ") +
            kRoomColumns,
        room.slug, room.display_name, room.max_participants, room.expires_at,
        room.recording_allowed);
    if (r.empty()) throw AlreadyExists("room " + quoted(room.slug) + " already exists");
    return to_room(r[0]);
  });
}

std::vector<Room> list_rooms(Database& db) {
  return transact(db, [](pqxx::work& work) {
    std::vector<Room> rooms;
    for (const auto& row :
         work.exec(std::string("SELECT ") + kRoomColumns + " FROM rooms ORDER BY slug")) {
      rooms.push_back(to_room(row));
    }
    return rooms;
  });
}

std::optional<Room> find_room(Database& db, std::string_view slug) {
  return transact(db, [&](pqxx::work& work) -> std::optional<Room> {
    pqxx::result r = work.exec_params(
        std::string("SELECT ") + kRoomColumns + " FROM rooms WHERE slug = $1", std::string(slug));
    if (r.empty()) return std::nullopt;
    return to_room(r[0]);
  });
}

void delete_room(Database& db, std::string_view slug) {
  transact(db, [&](pqxx::work& work) {
    if (work.exec_params("DELETE FROM rooms WHERE slug = $1", std::string(slug)).affected_rows() ==
        0) {
      no_room(slug);
    }
  });
}

void set_room_code_hash(Database& db, std::string_view slug, CodeKind kind,
                        const std::optional<std::string>& hash) {
  const char* sql = kind == CodeKind::kModerator
                        ? "UPDATE rooms SET moderator_code_hash = $2 WHERE slug = $1"
                        : "UPDATE rooms SET participant_code_hash = $2 WHERE slug = $1";
  transact(db, [&](pqxx::work& work) {
    if (work.exec_params(sql, std::string(slug), hash).affected_rows() == 0) no_room(slug);
  });
}

}  // namespace turnd::db

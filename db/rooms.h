// Conference rooms in the `rooms` table. Access codes are stored only as the
// hash strings of db/code_hash.h; this file never sees a clear code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"

namespace turnd::db {

struct Room {
  int64_t id = 0;
  std::string slug;
  std::string display_name;
  std::string participant_code_hash;        // empty: no code set
  std::string moderator_code_hash;          // empty: no code set
  std::optional<int32_t> max_participants;  // nullopt: no limit
  int64_t created_at = 0;                   // Unix seconds
  int64_t updated_at = 0;
  std::optional<int64_t> expires_at;  // nullopt: never
  bool recording_allowed = false;
};

struct NewRoom {
  std::string slug;
  std::string display_name;
  std::optional<int32_t> max_participants;
  std::optional<int64_t> expires_at;  // Unix seconds
  bool recording_allowed = false;
};

enum class CodeKind { kParticipant, kModerator };

// Why `slug` cannot name a room, or nullopt: 1-64 characters of a-z, 0-9 and
// '-', not starting or ending with '-' (the schema checks the same).
std::optional<std::string> slug_problem(std::string_view slug);

// Throws InvalidInput (bad slug, name, limit) or AlreadyExists.
Room create_room(Database& db, const NewRoom& room);
std::vector<Room> list_rooms(Database& db);  // by slug
std::optional<Room> find_room(Database& db, std::string_view slug);
// Throws NotFound ("no room 'x'").
void delete_room(Database& db, std::string_view slug);
// Stores `hash` (from hash_code()) or clears the code when nullopt. Throws NotFound.
void set_room_code_hash(Database& db, std::string_view slug, CodeKind kind,
                        const std::optional<std::string>& hash);

}  // namespace turnd::db

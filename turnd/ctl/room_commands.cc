// turnctl room create|list|show|delete|set-code
#include <charconv>
#include <ctime>
#include <istream>
#include <ostream>

#include "db/code_hash.h"
#include "db/errors.h"
#include "db/rooms.h"
#include "turnd/config/duration.h"
#include "turnd/ctl/commands.h"
#include "turnd/ctl/text.h"

namespace turnd::ctl {
namespace {

constexpr int32_t kMaxParticipantsLimit = 100'000;

std::optional<int32_t> max_participants(const Context& ctx) {
  auto text = ctx.args().value("max");
  if (!text) return std::nullopt;
  int32_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 1 ||
      value > kMaxParticipantsLimit) {
    throw UsageError("--max: '" + *text + "' is not a number from 1 to " +
                     std::to_string(kMaxParticipantsLimit));
  }
  return value;
}

// --expires=DURATION (from now) or a UTC date/time.
std::optional<int64_t> expires_at(const Context& ctx) {
  auto text = ctx.args().value("expires");
  if (!text) return std::nullopt;
  int64_t now = std::time(nullptr);
  if (auto seconds = config::parse_duration(*text)) return now + *seconds;
  auto when = parse_utc(*text);
  if (!when) {
    throw UsageError("--expires: '" + *text +
                     "' is neither a duration (30d) nor a UTC date (2025-06-30 or "
                     "2025-06-30T18:00Z)");
  }
  if (*when <= now) throw UsageError("--expires: " + format_utc(*when) + " is in the past");
  return when;
}

const std::string& slug_operand(const Context& ctx) {
  return ctx.operands().at(0);
}

std::string codes(const db::Room& room) {
  std::string out;
  if (!room.participant_code_hash.empty()) out = "participant";
  if (!room.moderator_code_hash.empty()) out += out.empty() ? "moderator" : ",moderator";
  return out.empty() ? "-" : out;
}

std::string limit(const db::Room& room) {
  return room.max_participants ? std::to_string(*room.max_participants) : "-";
}

void print_room(std::ostream& out, const db::Room& room) {
  Table t({"slug:", room.slug});
  t.add({"name:", room.display_name.empty() ? "-" : room.display_name});
  t.add({"id:", std::to_string(room.id)});
  t.add({"participant code:", room.participant_code_hash.empty() ? "not set" : "set"});
  t.add({"moderator code:", room.moderator_code_hash.empty() ? "not set" : "set"});
  t.add({"max participants:", room.max_participants ? limit(room) : "no limit"});
  t.add({"recording allowed:", room.recording_allowed ? "yes" : "no"});
  t.add({"expires:", room.expires_at ? format_utc(*room.expires_at) : "never"});
  t.add({"created:", format_utc(room.created_at)});
  t.add({"updated:", format_utc(room.updated_at)});
  out << t.str();
}

}  // namespace

int room_create(Context& ctx) {
  db::NewRoom room;
  room.slug = slug_operand(ctx);
  room.display_name = ctx.args().value("name").value_or("");
  room.max_participants = max_participants(ctx);
  room.expires_at = expires_at(ctx);
  room.recording_allowed = ctx.args().has("recording");
  db::Room created = db::create_room(ctx.database(), room);
  ctx.out() << "created room " << created.slug << "\n";
  return kExitOk;
}

int room_list(Context& ctx) {
  Table table({"SLUG", "NAME", "MAX", "CODES", "EXPIRES", "CREATED"});
  for (const db::Room& room : db::list_rooms(ctx.database())) {
    table.add({room.slug, room.display_name.empty() ? "-" : room.display_name, limit(room),
               codes(room), room.expires_at ? format_utc(*room.expires_at) : "never",
               format_utc(room.created_at)});
  }
  ctx.out() << table.str();
  return kExitOk;
}

int room_show(Context& ctx) {
  auto room = db::find_room(ctx.database(), slug_operand(ctx));
  if (!room) throw db::NotFound("no room '" + slug_operand(ctx) + "'");
  print_room(ctx.out(), *room);
  return kExitOk;
}

int room_delete(Context& ctx) {
  db::delete_room(ctx.database(), slug_operand(ctx));
  ctx.out() << "deleted room " << slug_operand(ctx) << "\n";
  return kExitOk;
}

// Prints a generated code once on stdout (alone, for scripts) and stores only
// its hash; --code=CODE sets a chosen one (checked for strength), --clear removes it.
int room_set_code(Context& ctx) {
  const std::string& slug = slug_operand(ctx);
  auto kind = ctx.args().has("moderator") ? db::CodeKind::kModerator : db::CodeKind::kParticipant;
  const char* kind_name = kind == db::CodeKind::kModerator ? "moderator" : "participant";
  if (ctx.args().has("clear")) {
    if (ctx.args().has("code")) throw UsageError("--clear and --code exclude each other");
    db::set_room_code_hash(ctx.database(), slug, kind, std::nullopt);
    ctx.out() << "cleared the " << kind_name << " code of room " << slug << "\n";
    return kExitOk;
  }
  auto chosen = ctx.args().value("code");
  if (chosen) {
    if (auto weakness = db::code_weakness(*chosen)) throw db::InvalidInput(*weakness);
  }
  if (!db::find_room(ctx.database(), slug)) throw db::NotFound("no room '" + slug + "'");
  std::string code = chosen ? *chosen : db::generate_code();
  db::set_room_code_hash(ctx.database(), slug, kind, db::hash_code(code));
  if (chosen) {
    ctx.out() << "set the " << kind_name << " code of room " << slug << "\n";
  } else {
    ctx.out() << code << "\n";
    ctx.err() << "turnctl: new " << kind_name << " code of room " << slug
              << " (shown only this once; only its hash is stored)\n";
  }
  return kExitOk;
}

// Checks a code (--code or the first line of stdin) against the stored hash:
// exit 0 when it matches, 1 when not. For admins answering "my code fails".
int room_verify_code(Context& ctx) {
  const std::string& slug = slug_operand(ctx);
  bool moderator = ctx.args().has("moderator");
  const char* kind_name = moderator ? "moderator" : "participant";
  std::string code;
  if (auto given = ctx.args().value("code")) {
    code = *given;
  } else {
    std::getline(ctx.in(), code);
  }
  auto room = db::find_room(ctx.database(), slug);
  if (!room) throw db::NotFound("no room '" + slug + "'");
  const std::string& hash = moderator ? room->moderator_code_hash : room->participant_code_hash;
  if (hash.empty()) throw db::NotFound("room " + slug + " has no " + kind_name + " code");
  if (!db::verify_code(code, hash)) {
    ctx.out() << "no match: this is not the " << kind_name << " code of room " << slug << "\n";
    return kExitFailure;
  }
  ctx.out() << "ok: the " << kind_name << " code of room " << slug << " matches\n";
  return kExitOk;
}

}  // namespace turnd::ctl

#include "sfu/conference/protocol.h"

#include <nlohmann/json.hpp>

namespace turnd::sfu::conference {
namespace {

using nlohmann::json;

// Invalid UTF-8 (never expected: names are checked) is replaced, not thrown.
std::string text(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

ProtocolError bad(std::string message) {
  return {std::string(error::kBadMessage), std::move(message)};
}

// A string field: present, a string, within `max` bytes.
std::optional<std::string> string_field(const json& j, const char* name, size_t max,
                                        ProtocolError& err) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_string()) {
    err = bad(std::string("'") + name + "' must be a string");
    return std::nullopt;
  }
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max) {
    err = bad(std::string("'") + name + "' is longer than " + std::to_string(max) + " bytes");
    return std::nullopt;
  }
  return s;
}

std::optional<bool> bool_field(const json& j, const char* name, ProtocolError& err) {
  auto it = j.find(name);
  if (it == j.end() || !it->is_boolean()) {
    err = bad(std::string("'") + name + "' must be true or false");
    return std::nullopt;
  }
  return it->get<bool>();
}

std::optional<MediaKind> parse_kind(std::string_view s) {
  if (s == "audio") return MediaKind::kAudio;
  if (s == "video") return MediaKind::kVideo;
  return std::nullopt;
}

std::optional<TrackSource> parse_source(std::string_view s) {
  if (s == "mic") return TrackSource::kMic;
  if (s == "camera") return TrackSource::kCamera;
  if (s == "screen") return TrackSource::kScreen;
  return std::nullopt;
}

// Counts UTF-8 code points; false for invalid UTF-8 or control characters.
bool display_name_ok(std::string_view name, size_t& chars) {
  chars = 0;
  for (size_t i = 0; i < name.size();) {
    auto c = static_cast<unsigned char>(name[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > name.size()) return false;
    if (len == 1 && (c < 0x20 || c == 0x7F)) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(name[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
    ++chars;
  }
  return true;
}

std::string trim(std::string s) {
  size_t a = s.find_first_not_of(' ');
  size_t b = s.find_last_not_of(' ');
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

std::variant<ClientMessage, ProtocolError> parse_join(const json& j) {
  ProtocolError err;
  auto room = string_field(j, "room", 64, err);
  auto code = room ? string_field(j, "code", 128, err) : std::nullopt;
  auto name = code ? string_field(j, "name", 256, err) : std::nullopt;
  if (!name) return err;
  std::string display = trim(*name);
  size_t chars = 0;
  if (!display_name_ok(display, chars) || chars == 0 || chars > kMaxNameChars) {
    return bad("'name' must be 1 to 64 characters, without control characters");
  }
  if (room->empty()) return bad("'room' must not be empty");
  return JoinRequest{*room, *code, display};
}

std::variant<ClientMessage, ProtocolError> parse_publish(const json& j) {
  ProtocolError err;
  auto sdp = string_field(j, "sdp", kMaxSdpBytes, err);
  if (!sdp) return err;
  auto it = j.find("tracks");
  if (it == j.end() || !it->is_array()) return bad("'tracks' must be an array");
  if (it->size() > kMaxTracks) return bad("at most 8 tracks may be published");
  PublishRequest p{*sdp, {}};
  for (const json& t : *it) {
    if (!t.is_object()) return bad("each track must be an object");
    auto mid = string_field(t, "mid", 32, err);
    auto kind = mid ? string_field(t, "kind", 16, err) : std::nullopt;
    auto source = kind ? string_field(t, "source", 16, err) : std::nullopt;
    if (!source) return err;
    auto k = parse_kind(*kind);
    auto s = parse_source(*source);
    if (!k) return bad("track kind must be audio or video");
    if (!s) return bad("track source must be mic, camera or screen");
    if ((*k == MediaKind::kAudio) != (*s == TrackSource::kMic)) {
      return bad("audio tracks come from the mic, video tracks from the camera or screen");
    }
    for (const TrackInfo& seen : p.tracks) {
      if (seen.mid == *mid) return bad("track mid '" + *mid + "' appears twice");
    }
    p.tracks.push_back({*mid, *k, *s});
  }
  return p;
}

std::variant<ClientMessage, ProtocolError> parse_object(const json& j) {
  auto type_it = j.find("type");
  if (type_it == j.end() || !type_it->is_string()) return bad("'type' must be a string");
  const std::string& type = type_it->get_ref<const std::string&>();
  ProtocolError err;
  if (type == "join") return parse_join(j);
  if (type == "publish") return parse_publish(j);
  if (type == "answer") {
    auto sdp = string_field(j, "sdp", kMaxSdpBytes, err);
    if (!sdp) return err;
    return SubscriberAnswer{*sdp};
  }
  if (type == "mute") {
    auto kind = string_field(j, "kind", 16, err);
    auto muted = kind ? bool_field(j, "muted", err) : std::nullopt;
    if (!muted) return err;
    auto k = parse_kind(*kind);
    if (!k) return bad("'kind' must be audio or video");
    return MuteRequest{*k, *muted};
  }
  if (type == "kick") {
    auto who = string_field(j, "participant", 64, err);
    if (!who) return err;
    return KickRequest{*who};
  }
  if (type == "lock") {
    auto locked = bool_field(j, "locked", err);
    if (!locked) return err;
    return LockRequest{*locked};
  }
  if (type == "leave") return LeaveRequest{};
  if (type == "ping") return PingRequest{};
  if (type == "restart-ice") return RestartIceRequest{};
  if (type == "resume") {
    auto token = string_field(j, "token", 64, err);
    if (!token) return err;
    return ResumeRequest{*token};
  }
  return bad("unknown message type '" + type.substr(0, 32) + "'");
}

json participant_json(const ParticipantView& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"muted", {{"audio", p.audio_muted}, {"video", p.video_muted}}}};
}

}  // namespace

const char* to_string(MediaKind kind) noexcept {
  return kind == MediaKind::kAudio ? "audio" : "video";
}

const char* to_string(TrackSource source) noexcept {
  switch (source) {
    case TrackSource::kMic:
      return "mic";
    case TrackSource::kCamera:
      return "camera";
    case TrackSource::kScreen:
      return "screen";
  }
  return "mic";
}

std::variant<ClientMessage, ProtocolError> parse_client_message(std::string_view text) {
  if (text.size() > kMaxSdpBytes + 4096) return bad("message too long");
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return bad("not valid JSON");
  if (!j.is_object()) return bad("a message must be a JSON object");
  try {
    return parse_object(j);
  } catch (const json::exception&) {  // never expected: every access is checked
    return bad("malformed message");
  }
}

std::string error_message(std::string_view code, std::string_view message) {
  return text(json{{"type", "error"}, {"code", code}, {"message", message}});
}

std::string joined_message(const JoinedInfo& info) {
  json participants = json::array();
  for (const ParticipantView& p : info.participants) participants.push_back(participant_json(p));
  json servers = json::array();
  for (const IceServer& s : info.ice_servers) {
    json entry{{"urls", s.urls}};
    if (!s.username.empty()) {
      entry["username"] = s.username;
      entry["credential"] = s.credential;
    }
    servers.push_back(std::move(entry));
  }
  json out{{"type", "joined"},
           {"id", info.id},
           {"moderator", info.moderator},
           {"room", {{"slug", info.room_slug}, {"name", info.room_name}, {"locked", info.locked}}},
           {"participants", std::move(participants)},
           {"iceServers", std::move(servers)}};
  if (!info.resume.empty()) out["resume"] = info.resume;
  if (info.resumed) out["resumed"] = true;
  return text(out);
}

std::string publish_answer_message(std::string_view sdp) {
  return text(json{{"type", "publish-answer"}, {"sdp", sdp}});
}

std::string offer_message(std::string_view sdp, const std::map<std::string, OfferedTrack>& tracks) {
  json t = json::object();
  for (const auto& [mid, track] : tracks) {
    t[mid] = {{"participant", track.participant},
              {"kind", to_string(track.kind)},
              {"source", to_string(track.source)}};
  }
  return text(json{{"type", "offer"}, {"sdp", sdp}, {"tracks", std::move(t)}});
}

std::string participant_joined_message(const ParticipantView& p) {
  return text(json{{"type", "participant-joined"}, {"participant", participant_json(p)}});
}

std::string participant_left_message(std::string_view id, std::string_view reason) {
  return text(json{{"type", "participant-left"}, {"id", id}, {"reason", reason}});
}

std::string muted_message(std::string_view id, MediaKind kind, bool muted) {
  return text(json{{"type", "muted"}, {"id", id}, {"kind", to_string(kind)}, {"muted", muted}});
}

std::string room_locked_message(bool locked) {
  return text(json{{"type", "room-locked"}, {"locked", locked}});
}

std::string kicked_message() {
  return text(json{{"type", "kicked"}});
}
std::string pong_message() {
  return text(json{{"type", "pong"}});
}

}  // namespace turnd::sfu::conference

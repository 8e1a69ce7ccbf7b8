// The signalling protocol of docs/SFU.md: client messages parsed and checked
// into typed values, server messages built as JSON text. Control plane only
// (one message per user action), so strings and exceptions are fine inside;
// parse_client_message itself never throws on any input.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace turnd::sfu::conference {

enum class MediaKind : uint8_t { kAudio, kVideo };
enum class TrackSource : uint8_t { kMic, kCamera, kScreen };
const char* to_string(MediaKind kind) noexcept;
const char* to_string(TrackSource source) noexcept;

struct TrackInfo {
  std::string mid;
  MediaKind kind = MediaKind::kAudio;
  TrackSource source = TrackSource::kMic;
  bool operator==(const TrackInfo&) const = default;
};

struct JoinRequest {
  std::string room;
  std::string code;
  std::string name;
};
struct PublishRequest {
  std::string sdp;
  std::vector<TrackInfo> tracks;
};
struct SubscriberAnswer {
  std::string sdp;
};
struct MuteRequest {
  MediaKind kind = MediaKind::kAudio;
  bool muted = false;
};
struct KickRequest {
  std::string participant;
};
struct LockRequest {
  bool locked = false;
};
struct LeaveRequest {};
struct PingRequest {};
// The subscriber PeerConnection lost its path: the server restarts ICE on it
// and sends a new offer (offers on that PeerConnection come from the server).
struct RestartIceRequest {};
// A new WebSocket taking over the participant of one that was lost, with the
// token its `joined` gave (single-use: the answer brings the next one).
struct ResumeRequest {
  std::string token;
};

using ClientMessage =
    std::variant<JoinRequest, PublishRequest, SubscriberAnswer, MuteRequest, KickRequest,
                 LockRequest, LeaveRequest, PingRequest, RestartIceRequest, ResumeRequest>;

// Error codes of the `error` message.
namespace error {
inline constexpr std::string_view kNoSuchRoom = "no-such-room";
inline constexpr std::string_view kWrongCode = "wrong-code";
inline constexpr std::string_view kThrottled = "throttled";
inline constexpr std::string_view kBusy = "busy";  // too many joins under way: retry in a moment
inline constexpr std::string_view kTooFast = "too-fast";  // too many changes (publish) at once
inline constexpr std::string_view kRoomFull = "room-full";
inline constexpr std::string_view kRoomLocked = "room-locked";
inline constexpr std::string_view kBadMessage = "bad-message";
inline constexpr std::string_view kNotJoined = "not-joined";
inline constexpr std::string_view kNoSession = "no-session";  // resume: unknown or spent token
inline constexpr std::string_view kForbidden = "forbidden";
inline constexpr std::string_view kInternal = "internal";
}  // namespace error

struct ProtocolError {
  std::string code;     // one of error::k*
  std::string message;  // for people: what was wrong
};

inline constexpr size_t kMaxSdpBytes = 64 * 1024;
inline constexpr size_t kMaxNameChars = 64;
inline constexpr size_t kMaxTracks = 8;

std::variant<ClientMessage, ProtocolError> parse_client_message(std::string_view text);

// --- server messages ----------------------------------------------------------

struct ParticipantView {
  std::string id;
  std::string name;
  bool audio_muted = false;
  bool video_muted = false;
};

struct IceServer {
  std::vector<std::string> urls;
  std::string username;
  std::string credential;
};

struct JoinedInfo {
  std::string id;
  bool moderator = false;
  std::string room_slug;
  std::string room_name;
  bool locked = false;
  std::vector<ParticipantView> participants;
  std::vector<IceServer> ice_servers;
  std::string resume;    // the token a new WebSocket resumes this participant with
  bool resumed = false;  // this answers `resume`: same participant, media kept
};

// What each subscriber m-line carries.
struct OfferedTrack {
  std::string participant;
  MediaKind kind = MediaKind::kAudio;
  TrackSource source = TrackSource::kMic;
};

std::string error_message(std::string_view code, std::string_view message);
std::string joined_message(const JoinedInfo& info);
std::string publish_answer_message(std::string_view sdp);
std::string offer_message(std::string_view sdp, const std::map<std::string, OfferedTrack>& tracks);
std::string participant_joined_message(const ParticipantView& p);
std::string participant_left_message(std::string_view id, std::string_view reason);
std::string muted_message(std::string_view id, MediaKind kind, bool muted);
std::string room_locked_message(bool locked);
std::string kicked_message();
std::string pong_message();

}  // namespace turnd::sfu::conference

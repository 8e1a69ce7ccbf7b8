// IceAgent: the SFU side of one participant's ICE session, as an ICE-lite
// agent (RFC 8445 §2.5): it gathers only host (or relayed) candidates, sends
// no checks, and is always in the controlled role. It answers the browser's
// connectivity checks (RFC 8445 §7.3), remembers every path a valid check
// arrived on, sends media on the path the browser nominated with
// USE-CANDIDATE, and treats the browser's consent checks (RFC 7675, every
// ~5 s) as proof that the selected path still works.
//
// No sockets and no timers of its own: the owner hands it STUN packets and
// calls on_timer() (next_deadline() says when). handle_stun() and on_timer()
// never allocate or throw.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "sfu/ice/credentials.h"
#include "sfu/ice/path.h"
#include "turnd/common/bytes.h"
#include "turnd/common/clock.h"
#include "turnd/stun/integrity.h"
#include "turnd/stun/message.h"

namespace turnd::sfu::ice {

enum class IceState : uint8_t {
  kNew,           // created, no valid check received yet
  kChecking,      // valid checks arrived but none nominated a path
  kConnected,     // a nominated path is selected and its consent is fresh: send media there
  kDisconnected,  // the selected path has been silent for disconnected_after; media still
                  // goes there (consent has not expired yet), a valid check on it or a new
                  // nomination brings the agent back to kConnected
  kFailed,        // no valid check for consent_timeout (RFC 7675 §5.1): stop sending.
                  // Only an ICE restart (restart()) leaves it, back to kNew
};
const char* to_string(IceState state) noexcept;

struct IceAgentConfig {
  IceCredentials local;            // our a=ice-ufrag / a=ice-pwd
  std::string remote_ufrag;        // the peer's a=ice-ufrag; empty: not known yet, not checked
  Seconds consent_timeout{30};     // RFC 7675 §5.1: consent expires after 30 s
  Seconds disconnected_after{15};  // three missed consent checks
};

// What handle_stun() did with a packet.
enum class CheckResult : uint8_t {
  kDropped,           // not an ICE check for us (or the agent failed): nothing to send
  kIndication,        // a Binding indication (keepalive): nothing to send
  kAccepted,          // a valid check: Binding success in the reply
  kBadRequest,        // 400: USERNAME or MESSAGE-INTEGRITY missing, or a malformed attribute
  kUnauthenticated,   // 401: wrong USERNAME or MESSAGE-INTEGRITY
  kUnknownAttribute,  // 420: unknown comprehension-required attributes
  kRoleConflict,      // 487: the peer claims the controlled role too
};
const char* to_string(CheckResult result) noexcept;

struct StunOutcome {
  CheckResult result = CheckResult::kDropped;
  size_t reply_size = 0;          // bytes of the reply to send back on the same path; 0: none
  bool new_path = false;          // the first valid check from this path
  bool selected_changed = false;  // selected() now names another path
  bool state_changed = false;     // state() moved
  std::optional<Path> forgotten;  // a path dropped to make room for this one
};

class IceAgent {
 public:
  static constexpr size_t kMaxPaths = 8;  // remembered paths; the oldest unselected goes first

  // `clock` and `mac` must outlive the agent (the worker owns them).
  // Throws std::invalid_argument when the local credentials are not valid().
  IceAgent(IceAgentConfig config, const Clock& clock, stun::MacContext& mac);

  IceAgent(const IceAgent&) = delete;
  IceAgent& operator=(const IceAgent&) = delete;

  // A STUN message from `from`; any reply is built in `reply` (1280 bytes is
  // plenty). The MessageView overload is for a caller that already parsed it.
  StunOutcome handle_stun(Bytes packet, const Path& from, MutableBytes reply) noexcept;
  StunOutcome handle_stun(const stun::MessageView& message, const Path& from,
                          MutableBytes reply) noexcept;

  // Applies consent expiry; true when state() changed.
  bool on_timer(SteadyTime now) noexcept;
  // When on_timer() next has something to do; nullopt: nothing pending.
  std::optional<SteadyTime> next_deadline() const noexcept;

  IceState state() const noexcept { return state_; }
  // Where media goes: the nominated path, or null before a nomination and
  // after consent was lost.
  const Path* selected() const noexcept;
  // True when a valid check arrived from `path` (media from it is the peer's).
  bool knows(const Path& path) const noexcept { return find(path) >= 0; }
  // Calls fn(const Path&) for each remembered path.
  template <typename Fn>
  void for_each_path(Fn&& fn) const;

  const IceCredentials& local_credentials() const noexcept { return config_.local; }
  const std::string& remote_ufrag() const noexcept { return config_.remote_ufrag; }
  // The peer's ufrag when the answer arrives after the first checks.
  void set_remote_ufrag(std::string ufrag) { config_.remote_ufrag = std::move(ufrag); }
  // An ICE restart (RFC 8445 §2.4, the browser's or ours): new local
  // credentials, the peer's new ufrag (empty: known with its answer). The
  // remembered paths and the selected one stay, so media keeps its path
  // until a check with the new credentials nominates one; a failed agent
  // starts again from kNew. Throws std::invalid_argument for invalid
  // credentials. The registry must be told (IceRegistry::rekey).
  void restart(IceCredentials local, std::string remote_ufrag);

  // The owner's back pointer, so whoever finds the agent by path or ufrag
  // reaches its transport without another lookup (MediaEndpoint: the
  // WebRtcTransport).
  void* user = nullptr;

 private:
  struct PathRecord {
    Path path;
    SteadyTime last_valid_check{};
    uint32_t priority = 0;
    bool in_use = false;
  };

  enum class Auth : uint8_t { kOk, kMissing, kWrong };
  Auth authenticate(const stun::MessageView& message) const noexcept;
  StunOutcome accept_check(const stun::MessageView& message, const Path& from, uint32_t priority,
                           bool nominate, MutableBytes reply) noexcept;
  // Finds the record of `path`, or makes one (evicting the oldest unselected).
  int remember(const Path& path, StunOutcome& outcome) noexcept;
  int find(const Path& path) const noexcept;
  bool set_state(IceState next) noexcept;

  IceAgentConfig config_;
  const Clock& clock_;
  stun::MacContext& mac_;
  IceState state_ = IceState::kNew;
  std::array<PathRecord, kMaxPaths> paths_{};
  int selected_ = -1;
  SteadyTime last_valid_check_{};
};

template <typename Fn>
void IceAgent::for_each_path(Fn&& fn) const {
  for (const PathRecord& r : paths_) {
    if (r.in_use) fn(r.path);
  }
}

}  // namespace turnd::sfu::ice

#include "sfu/ice/ice_agent.h"

#include <openssl/crypto.h>

#include <stdexcept>
#include <string_view>

#include "sfu/ice/binding_reply.h"
#include "turnd/common/log.h"
#include "turnd/stun/attr/ice_controlled.h"
#include "turnd/stun/attr/ice_controlling.h"
#include "turnd/stun/attr/priority.h"
#include "turnd/stun/attr/unknown_attributes.h"
#include "turnd/stun/attr/use_candidate.h"
#include "turnd/stun/attr/username.h"

namespace turnd::sfu::ice {
namespace {

constexpr const char* kTag = "ice";

bool equal_secret(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The attributes an ICE check may carry that we understand; other
// comprehension-required ones get 420 (RFC 8489 §6.3.1).
bool understood(uint16_t type) noexcept {
  using namespace stun::attr;
  return !comprehension_required(type) || type == kUsername || type == kMessageIntegrity ||
         type == kMessageIntegritySha256 || type == kPriority || type == kUseCandidate;
}

bool legal_transition(IceState from, IceState to) noexcept {
  switch (from) {
    case IceState::kNew:
      return to == IceState::kChecking || to == IceState::kConnected;
    case IceState::kChecking:
      return to == IceState::kConnected || to == IceState::kFailed;
    case IceState::kConnected:
      return to == IceState::kDisconnected || to == IceState::kFailed;
    case IceState::kDisconnected:
      return to == IceState::kConnected || to == IceState::kFailed;
    case IceState::kFailed:
      return to == IceState::kNew;  // only through restart()
  }
  return false;
}

}  // namespace

const char* to_string(IceState state) noexcept {
  switch (state) {
    case IceState::kNew:
      return "new";
    case IceState::kChecking:
      return "checking";
    case IceState::kConnected:
      return "connected";
    case IceState::kDisconnected:
      return "disconnected";
    case IceState::kFailed:
      return "failed";
  }
  return "?";
}

const char* to_string(CheckResult result) noexcept {
  switch (result) {
    case CheckResult::kDropped:
      return "dropped";
    case CheckResult::kIndication:
      return "indication";
    case CheckResult::kAccepted:
      return "accepted";
    case CheckResult::kBadRequest:
      return "400";
    case CheckResult::kUnauthenticated:
      return "401";
    case CheckResult::kUnknownAttribute:
      return "420";
    case CheckResult::kRoleConflict:
      return "487";
  }
  return "?";
}

IceAgent::IceAgent(IceAgentConfig config, const Clock& clock, stun::MacContext& mac)
    : config_(std::move(config)), clock_(clock), mac_(mac) {
  if (!config_.local.valid()) throw std::invalid_argument("ICE agent: invalid local credentials");
}

StunOutcome IceAgent::handle_stun(Bytes packet, const Path& from, MutableBytes reply) noexcept {
  stun::MessageView message;
  if (stun::MessageView::parse(packet, message) != stun::ParseResult::kOk) return {};
  return handle_stun(message, from, reply);
}

StunOutcome IceAgent::handle_stun(const stun::MessageView& message, const Path& from,
                                  MutableBytes reply) noexcept {
  using stun::DecodeStatus;
  using stun::MessageClass;
  StunOutcome out;
  if (state_ == IceState::kFailed || message.method() != uint16_t(stun::Method::kBinding)) {
    return out;
  }
  if (message.message_class() == MessageClass::kIndication) {
    out.result = CheckResult::kIndication;  // keepalive (RFC 8445 §11): unauthenticated, no answer
    return out;
  }
  // A lite agent sends no requests, so it expects no responses.
  if (message.message_class() != MessageClass::kRequest) return out;
  // RFC 8445 §7.1 / §7.3: checks carry FINGERPRINT; without a right one the
  // packet is not an ICE check at all and is dropped (RFC 8489 §7.3).
  if (!stun::verify_fingerprint(message)) return out;

  // RFC 8489 §9.1.3: short-term credential checks, answered unsigned.
  switch (authenticate(message)) {
    case Auth::kMissing:
      out.result = CheckResult::kBadRequest;
      out.reply_size = build_binding_error(message, stun::error::kBadRequest, reply);
      return out;
    case Auth::kWrong:
      out.result = CheckResult::kUnauthenticated;
      out.reply_size = build_binding_error(message, stun::error::kUnauthenticated, reply);
      return out;
    case Auth::kOk:
      break;
  }
  // Authenticated from here on: every answer is signed with our password.
  Bytes key = as_bytes(config_.local.pwd);

  stun::UnknownAttributes unknown;
  message.for_each([&](const stun::Attribute& a) {
    if (!understood(a.type)) unknown.push(a.type);
    return true;
  });
  if (unknown.count > 0) {
    out.result = CheckResult::kUnknownAttribute;
    out.reply_size =
        build_binding_error(message, stun::error::kUnknownAttribute, reply, &mac_, key, &unknown);
    return out;
  }

  stun::Priority priority;
  stun::UseCandidate use_candidate;
  stun::IceControlled controlled;
  stun::IceControlling controlling;
  DecodeStatus p = stun::Priority::get_from(message, priority);
  DecodeStatus u = stun::UseCandidate::get_from(message, use_candidate);
  DecodeStatus d = stun::IceControlled::get_from(message, controlled);
  DecodeStatus g = stun::IceControlling::get_from(message, controlling);
  if (p == DecodeStatus::kMalformed || u == DecodeStatus::kMalformed ||
      d == DecodeStatus::kMalformed || g == DecodeStatus::kMalformed) {
    out.result = CheckResult::kBadRequest;
    out.reply_size = build_binding_error(message, stun::error::kBadRequest, reply, &mac_, key);
    return out;
  }

  // RFC 8445 §6.1.1: facing a full agent, the lite agent MUST be controlled.
  // §7.3.1.1: a controlled agent receiving ICE-CONTROLLED keeps its role and
  // answers 487 when its tie-breaker is >= the peer's, and switches to
  // controlling otherwise. A lite agent can never switch (it sends no checks
  // and so cannot nominate), so it answers 487 whatever the tie-breakers
  // are; the full agent then switches to controlling (§7.2.5.1).
  if (d == DecodeStatus::kOk) {
    out.result = CheckResult::kRoleConflict;
    out.reply_size = build_binding_error(message, stun::error::kRoleConflict, reply, &mac_, key);
    return out;
  }
  // ICE-CONTROLLING (or neither, from a pre-RFC 8445 peer): no conflict.
  return accept_check(message, from, p == DecodeStatus::kOk ? priority.value : 0,
                      u == DecodeStatus::kOk, reply);
}

IceAgent::Auth IceAgent::authenticate(const stun::MessageView& message) const noexcept {
  stun::Username username;
  if (stun::Username::get_from(message, username) != stun::DecodeStatus::kOk ||
      message.integrity_offset() == 0) {
    return Auth::kMissing;
  }
  // RFC 8445 §7.2.2: USERNAME is "LFRAG:RFRAG" from the receiver's view.
  std::string_view text = username.text();
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) return Auth::kWrong;
  if (!equal_secret(text.substr(0, colon), config_.local.ufrag)) return Auth::kWrong;
  if (!config_.remote_ufrag.empty() &&
      !equal_secret(text.substr(colon + 1), config_.remote_ufrag)) {
    return Auth::kWrong;
  }
  return stun::verify_integrity(mac_, message, as_bytes(config_.local.pwd)) ? Auth::kOk
                                                                            : Auth::kWrong;
}

StunOutcome IceAgent::accept_check(const stun::MessageView& message, const Path& from,
                                   uint32_t priority, bool nominate, MutableBytes reply) noexcept {
  StunOutcome out;
  out.result = CheckResult::kAccepted;
  SteadyTime now = clock_.now();
  int index = remember(from, out);
  PathRecord& record = paths_[index];
  record.last_valid_check = now;
  record.priority = priority;
  last_valid_check_ = now;

  // RFC 8445 §8.2 (lite): a check with USE-CANDIDATE nominates its pair,
  // which becomes the selected pair. A later nomination of another pair
  // (the browser moving from a relay to a host path, or renominating after a
  // network change) replaces it.
  if (nominate && selected_ != index) {
    selected_ = index;
    out.selected_changed = true;
    LOG_INFO(kTag, "ufrag %s: selected path %s socket %u (priority %u)",
             config_.local.ufrag.c_str(), log::pseudonym(from.remote).c_str(), from.socket,
             priority);
  }
  if (selected_ >= 0 && (nominate || selected_ == index)) {
    out.state_changed = set_state(IceState::kConnected);
  } else if (state_ == IceState::kNew) {
    out.state_changed = set_state(IceState::kChecking);
  }
  out.reply_size =
      build_binding_success(message, from.remote, mac_, as_bytes(config_.local.pwd), reply);
  return out;
}

int IceAgent::find(const Path& path) const noexcept {
  for (size_t i = 0; i < paths_.size(); ++i) {
    if (paths_[i].in_use && paths_[i].path == path) return static_cast<int>(i);
  }
  return -1;
}

int IceAgent::remember(const Path& path, StunOutcome& outcome) noexcept {
  int index = find(path);
  if (index >= 0) return index;
  outcome.new_path = true;
  int victim = -1;
  for (size_t i = 0; i < paths_.size(); ++i) {
    if (!paths_[i].in_use) {
      victim = static_cast<int>(i);
      break;
    }
    if (static_cast<int>(i) == selected_) continue;
    if (victim < 0 || paths_[i].last_valid_check < paths_[victim].last_valid_check) {
      victim = static_cast<int>(i);
    }
  }
  if (paths_[victim].in_use) outcome.forgotten = paths_[victim].path;
  paths_[victim] = PathRecord{path, {}, 0, true};
  return victim;
}

const Path* IceAgent::selected() const noexcept {
  if (selected_ < 0 || state_ == IceState::kFailed) return nullptr;
  return &paths_[selected_].path;
}

bool IceAgent::on_timer(SteadyTime now) noexcept {
  switch (state_) {
    case IceState::kChecking:
      if (now - last_valid_check_ >= config_.consent_timeout) return set_state(IceState::kFailed);
      return false;
    case IceState::kConnected:
    case IceState::kDisconnected: {
      auto silent = now - paths_[selected_].last_valid_check;
      if (silent >= config_.consent_timeout) return set_state(IceState::kFailed);
      if (silent >= config_.disconnected_after) return set_state(IceState::kDisconnected);
      return false;
    }
    case IceState::kNew:
    case IceState::kFailed:
      return false;
  }
  return false;
}

std::optional<SteadyTime> IceAgent::next_deadline() const noexcept {
  switch (state_) {
    case IceState::kChecking:
      return last_valid_check_ + config_.consent_timeout;
    case IceState::kConnected:
      return paths_[selected_].last_valid_check + config_.disconnected_after;
    case IceState::kDisconnected:
      return paths_[selected_].last_valid_check + config_.consent_timeout;
    case IceState::kNew:
    case IceState::kFailed:
      return std::nullopt;
  }
  return std::nullopt;
}

// The one place state_ changes: checks the transition and logs it.
void IceAgent::restart(IceCredentials local, std::string remote_ufrag) {
  if (!local.valid()) throw std::invalid_argument("ICE restart: invalid local credentials");
  LOG_INFO(kTag, "ufrag %s: ICE restart, now ufrag %s", config_.local.ufrag.c_str(),
           local.ufrag.c_str());
  config_.local = std::move(local);
  config_.remote_ufrag = std::move(remote_ufrag);
  if (state_ == IceState::kFailed) set_state(IceState::kNew);
}

bool IceAgent::set_state(IceState next) noexcept {
  if (next == state_) return false;
  if (!legal_transition(state_, next)) {
    LOG_ERROR(kTag, "ufrag %s: illegal transition %s -> %s", config_.local.ufrag.c_str(),
              to_string(state_), to_string(next));
    return false;
  }
  LOG_INFO(kTag, "ufrag %s: %s -> %s", config_.local.ufrag.c_str(), to_string(state_),
           to_string(next));
  state_ = next;
  return true;
}

}  // namespace turnd::sfu::ice

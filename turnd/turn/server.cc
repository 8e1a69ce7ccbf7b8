#include "turnd/turn/server.h"

#include <openssl/rand.h>

#include <cstring>

#include "turnd/common/log.h"
#include "turnd/stun/attr/error_code.h"
#include "turnd/stun/attr/nonce.h"
#include "turnd/stun/attr/realm.h"
#include "turnd/stun/attr/unknown_attributes.h"
#include "turnd/stun/attr/username.h"
#include "turnd/turn/request.h"

namespace turnd::turn {
namespace {

bool is_channel_data(Bytes data) noexcept {
  return !data.empty() && (static_cast<uint8_t>(data[0]) & 0xC0) == 0x40;
}

bool known_attribute(uint16_t type) noexcept {
  switch (type) {
    case stun::attr::kMappedAddress:
    case stun::attr::kUsername:
    case stun::attr::kMessageIntegrity:
    case stun::attr::kErrorCode:
    case stun::attr::kUnknownAttributes:
    case stun::attr::kChannelNumber:
    case stun::attr::kLifetime:
    case stun::attr::kXorPeerAddress:
    case stun::attr::kData:
    case stun::attr::kRealm:
    case stun::attr::kNonce:
    case stun::attr::kXorRelayedAddress:
    case stun::attr::kRequestedAddressFamily:
    case stun::attr::kEvenPort:
    case stun::attr::kRequestedTransport:
    case stun::attr::kDontFragment:
    case stun::attr::kMessageIntegritySha256:
    case stun::attr::kPasswordAlgorithm:
    case stun::attr::kUserhash:
    case stun::attr::kXorMappedAddress:
    case stun::attr::kReservationToken:
    case stun::attr::kPriority:
    case stun::attr::kUseCandidate:
      return true;
    default:
      return !stun::attr::comprehension_required(type);
  }
}

}  // namespace

Server::Server(ServerDeps deps, PolicyPtr policy) : deps_(deps), policy_(std::move(policy)) {
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&id_state_), sizeof(id_state_)) != 1 ||
      id_state_ == 0) {
    id_state_ = 0x9E3779B97F4A7C15ull;
  }
}

Server::~Server() {
  for (auto& [tuple, allocation] : allocations_) forget(*allocation, EndReason::kShutdown);
}

const Allocation* Server::find(const FiveTuple& tuple) const noexcept {
  auto it = allocations_.find(tuple);
  return it == allocations_.end() ? nullptr : it->second.get();
}

void Server::on_client_packet(const FiveTuple& tuple, ClientLink& link,
                              MutableBytes data) noexcept {
  if (is_channel_data(data)) {
    handle_channel_data(tuple, data);
  } else {
    handle_stun(tuple, link, data);
  }
}

void Server::handle_stun(const FiveTuple& tuple, ClientLink& link, Bytes data) noexcept {
  stun::MessageView message;
  stun::ParseResult parsed = stun::MessageView::parse(data, message);
  if (parsed == stun::ParseResult::kNotStun) {
    metrics_.malformed_packets.add();
    return;
  }
  auto it = allocations_.find(tuple);
  Request r{tuple, link, message, it == allocations_.end() ? nullptr : it->second.get()};
  r.fingerprint = policy_->options.fingerprint || message.fingerprint_offset() != 0;
  bool is_request = message.message_class() == stun::MessageClass::kRequest;
  if (parsed == stun::ParseResult::kMalformed) {
    metrics_.malformed_packets.add();
    if (is_request) send_error(r, stun::error::kBadRequest);
    return;
  }
  // RFC 8489 §7.3: a wrong FINGERPRINT means the message is silently discarded.
  if (message.fingerprint_offset() != 0 && !stun::verify_fingerprint(message)) {
    metrics_.malformed_packets.add();
    return;
  }
  if (!is_request) {
    // RFC 8489 §7.3.2: an indication with unknown comprehension-required
    // attributes is discarded; responses are not for a server.
    if (message.is(stun::Method::kSend, stun::MessageClass::kIndication) && !has_unknown(r)) {
      handle_send(tuple, message);
    } else {
      metrics_.dropped_packets.add();
    }
    return;
  }
  auto method = static_cast<stun::Method>(message.method());
  if (method == stun::Method::kBinding) {
    if (!reject_unknown_attributes(r)) handle_binding(r);
    return;
  }
  // Every TURN request is authenticated first (RFC 8656 §5); attributes are
  // checked once the authentication checks are done (RFC 8489 §6.3).
  if (!authenticate(r) || reject_unknown_attributes(r)) return;
  switch (method) {
    case stun::Method::kAllocate:
      handle_allocate(r);
      return;
    case stun::Method::kRefresh:
      handle_refresh(r);
      return;
    case stun::Method::kCreatePermission:
      handle_create_permission(r);
      return;
    case stun::Method::kChannelBind:
      handle_channel_bind(r);
      return;
    default:
      send_error(r, stun::error::kBadRequest);
      return;
  }
}

bool Server::has_unknown(const Request& r) const noexcept {
  bool unknown = false;
  r.message.for_each([&](const stun::Attribute& a) {
    unknown = !known_attribute(a.type);
    return !unknown;
  });
  return unknown;
}

bool Server::reject_unknown_attributes(Request& r) noexcept {
  stun::UnknownAttributes unknown;
  r.message.for_each([&](const stun::Attribute& a) {
    if (!known_attribute(a.type)) unknown.push(a.type);
    return true;
  });
  if (unknown.count == 0) return false;
  metrics_.error_responses.add();
  stun::MessageBuilder b = start_response(r, stun::MessageClass::kErrorResponse);
  stun::ErrorCode{stun::error::kUnknownAttribute, {}}.add_to(b);
  unknown.add_to(b);
  finish_response(r, b);
  return true;
}

stun::MessageBuilder Server::start_response(Request& r, stun::MessageClass cls) noexcept {
  stun::MessageBuilder b(scratch_, r.method(), cls, r.message.transaction_id());
  if (policy_->options.software) b.add(stun::attr::kSoftware, as_bytes("turnd"));
  return b;
}

void Server::finish_response(Request& r, stun::MessageBuilder& b) noexcept {
  if (!r.key.empty()) {
    if (r.algorithm == stun::MacAlgorithm::kSha256) {
      b.add_message_integrity_sha256(mac_, r.key);
    } else {
      b.add_message_integrity(mac_, r.key);
    }
  }
  if (r.fingerprint) b.add_fingerprint();
  if (b.ok()) r.link.send(b.bytes());
}

void Server::send_error(Request& r, uint16_t code) noexcept {
  metrics_.error_responses.add();
  LOG_DEBUG("turn", "%s: method 0x%03x -> %u %s", log::pseudonym(r.tuple.client).c_str(),
            r.method(), code, stun::error::reason_phrase(code));
  stun::MessageBuilder b = start_response(r, stun::MessageClass::kErrorResponse);
  stun::ErrorCode{code, {}}.add_to(b);
  finish_response(r, b);
}

void Server::send_challenge(Request& r, uint16_t code) noexcept {
  metrics_.error_responses.add();
  r.key = {};  // challenges are never signed
  stun::MessageBuilder b = start_response(r, stun::MessageClass::kErrorResponse);
  stun::ErrorCode{code, {}}.add_to(b);
  b.add(stun::attr::kRealm, as_bytes(policy_->authenticator.realm()));
  auto nonce = policy_->nonces.issue(mac_, r.tuple.client);
  b.add(stun::attr::kNonce, {reinterpret_cast<const std::byte*>(nonce.data()), nonce.size()});
  finish_response(r, b);
}

bool Server::authenticate(Request& r) noexcept {
  if (!policy_->authenticator.enabled()) return true;  // no-auth: open relay on purpose
  const stun::MessageView& m = r.message;
  bool sha256 = m.integrity_sha256_offset() != 0;
  if (m.integrity_offset() == 0 && !sha256) {
    send_challenge(r, stun::error::kUnauthenticated);
    return false;
  }
  stun::Username username;
  stun::Realm realm;
  stun::Nonce nonce;
  if (stun::Username::get_from(m, username) != stun::DecodeStatus::kOk ||
      stun::Realm::get_from(m, realm) != stun::DecodeStatus::kOk ||
      stun::Nonce::get_from(m, nonce) != stun::DecodeStatus::kOk) {
    send_error(r, stun::error::kBadRequest);
    return false;
  }
  if (policy_->nonces.check(mac_, nonce.text(), r.tuple.client) !=
      auth::NonceIssuer::Check::kValid) {
    metrics_.stale_nonces.add();
    send_challenge(r, stun::error::kStaleNonce);
    return false;
  }
  // Wrong passwords made this address and user name wait: answered 401 like a
  // wrong password, without checking this one (auth/auth_throttle.h).
  if (auth_throttle_.waiting(r.tuple.client, username.text(), deps_.clock.now())) {
    metrics_.auth_throttled.add();
    send_challenge(r, stun::error::kUnauthenticated);
    return false;
  }
  r.algorithm = sha256 ? stun::MacAlgorithm::kSha256 : stun::MacAlgorithm::kSha1;
  auth::Authenticator::Candidates keys;
  policy_->authenticator.candidate_keys(username.text(), r.algorithm, mac_, keys);
  for (size_t i = 0; i < keys.count; ++i) {
    bool ok = sha256 ? stun::verify_integrity_sha256(mac_, m, keys.key(i))
                     : stun::verify_integrity(mac_, m, keys.key(i));
    if (!ok) continue;
    if (r.allocation != nullptr && r.allocation->username() != username.text()) {
      send_error(r, stun::error::kWrongCredentials);  // RFC 8656 §5: 441
      return false;
    }
    // `keys` dies with this function; the response needs the key after it.
    std::memcpy(request_key_.data(), keys.key(i).data(), keys.key_length);
    r.key = Bytes(request_key_.data(), keys.key_length);
    r.sfu_only = keys.sfu_only[i];
    auth_throttle_.record_success(r.tuple.client, username.text());
    return true;
  }
  metrics_.auth_failures.add();
  // Logged once, when the pair starts to wait: a guesser, not a typo.
  if (auth_throttle_.record_failure(r.tuple.client, username.text(), deps_.clock.now()) ==
      auth_throttle_.limits().free + 1) {
    LOG_WARN("auth", "%s, user %s: %u wrong passwords; its requests wait from now on",
             log::pseudonym(r.tuple.client).c_str(), log::pseudonym(username.text()).c_str(),
             auth_throttle_.limits().free + 1);
  }
  send_challenge(r, stun::error::kUnauthenticated);
  return false;
}

void Server::delete_allocation(const FiveTuple& tuple, EndReason reason) noexcept {
  auto it = allocations_.find(tuple);
  if (it == allocations_.end()) return;
  forget(*it->second, reason);
  allocations_.erase(it);
}

// Everything an allocation holds outside itself, given back before it goes.
void Server::forget(const Allocation& a, EndReason reason) noexcept {
  if (deps_.sessions != nullptr) deps_.sessions->on_allocation_ended(a, reason);
  if (deps_.local_peers != nullptr) deps_.local_peers->forget(const_cast<Allocation*>(&a));
  deps_.quota.release(a.username());
  metrics_.allocations_active.sub();
  metrics_.active_by_transport[static_cast<size_t>(a.tuple().transport)].sub();
}

void Server::on_link_closed(const FiveTuple& tuple) noexcept {
  delete_allocation(tuple, EndReason::kConnectionClosed);
}

void Server::expire() noexcept {
  SteadyTime now = deps_.clock.now();
  for (auto it = allocations_.begin(); it != allocations_.end();) {
    Allocation& a = *it->second;
    if (a.expires() <= now) {
      metrics_.allocations_expired.add();
      // RFC 8656 §5: over TCP/TLS the connection belongs to the allocation.
      if (is_stream(a.tuple().transport)) a.link().close();
      forget(a, EndReason::kExpired);
      it = allocations_.erase(it);
    } else {
      a.expire(now);
      ++it;
    }
  }
}

// A version 4 UUID (RFC 9562 §5.4) from OpenSSL's per-thread generator.
Allocation::SessionId Server::next_session_id() noexcept {
  Allocation::SessionId id;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(id.data()), static_cast<int>(id.size())) != 1) {
    next_transaction_id(std::span<std::byte>(id.data(), 8));  // never expected; still unique enough
    next_transaction_id(std::span<std::byte>(id.data() + 8, 8));
  }
  id[6] = (id[6] & std::byte{0x0F}) | std::byte{0x40};
  id[8] = (id[8] & std::byte{0x3F}) | std::byte{0x80};
  return id;
}

void Server::next_transaction_id(std::span<std::byte> out) noexcept {
  for (size_t i = 0; i < out.size(); i += 8) {
    // xorshift64*: unpredictable enough for indication ids, which carry no secret.
    id_state_ ^= id_state_ >> 12;
    id_state_ ^= id_state_ << 25;
    id_state_ ^= id_state_ >> 27;
    uint64_t v = id_state_ * 0x2545F4914F6CDD1Dull;
    std::memcpy(out.data() + i, &v, std::min<size_t>(8, out.size() - i));
  }
}

}  // namespace turnd::turn

// Authenticator: finds the long-term keys a TURN request's USERNAME may be
// signed with (RFC 8489 §9.2). Users come from the config (and later the
// database); TURN REST API users (draft-uberti-behave-turn-rest, as coturn's
// use-auth-secret) are `<expiry>:<name>` signed with any configured secret:
// password = base64(HMAC-SHA1(secret, username)), then the usual MD5 key.
// The caller verifies MESSAGE-INTEGRITY against each candidate in turn.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "turnd/auth/keys.h"
#include "turnd/common/clock.h"
#include "turnd/stun/integrity.h"

namespace turnd::auth {

struct UserKeys {
  Md5Key md5{};
  bool has_sha256 = false;
  Sha256Key sha256{};
};

struct AuthOptions {
  std::string realm;
  bool lt_cred_mech = false;
  bool use_auth_secret = false;
  std::vector<std::string> secrets;  // REST API shared secrets, all accepted
  // The secret of the credentials the conference hands to browsers (REST
  // form): they may relay to the SFU and nowhere else. Empty: none.
  std::string sfu_secret;
  char separator = ':';
  std::unordered_map<std::string, UserKeys> users;
};

class Authenticator {
 public:
  static constexpr size_t kMaxCandidates = 8;

  struct Candidates {
    std::array<Sha256Key, kMaxCandidates> keys{};  // MD5 keys use the first 16 bytes
    std::array<bool, kMaxCandidates> sfu_only{};   // a browser's credential (sfu_secret)
    size_t key_length = 16;
    size_t count = 0;
    Bytes key(size_t i) const noexcept {
      return {reinterpret_cast<const std::byte*>(keys[i].data()), key_length};
    }
  };

  enum class Lookup : uint8_t { kFound, kUnknownUser, kExpired };

  Authenticator(const Clock& clock, AuthOptions options);

  bool enabled() const noexcept { return options_.lt_cred_mech || options_.use_auth_secret; }
  const std::string& realm() const noexcept { return options_.realm; }

  // Fills `out` with the keys `username` may use for `algorithm`.
  Lookup candidate_keys(std::string_view username, stun::MacAlgorithm algorithm,
                        stun::MacContext& mac, Candidates& out) const noexcept;

  // The REST API password for `username` under `secret` (for tools and tests).
  static std::string rest_password(stun::MacContext& mac, std::string_view secret,
                                   std::string_view username);

 private:
  bool rest_expired(std::string_view username) const noexcept;

  const Clock& clock_;
  AuthOptions options_;
};

}  // namespace turnd::auth

#include "turnd/auth/authenticator.h"

#include <openssl/evp.h>

#include <charconv>
#include <cstring>

namespace turnd::auth {
namespace {

// Parses a whole field as a non-negative decimal number.
bool parse_timestamp(std::string_view text, int64_t& out) noexcept {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= 0;
}

}  // namespace

Authenticator::Authenticator(const Clock& clock, AuthOptions options)
    : clock_(clock), options_(std::move(options)) {}

bool Authenticator::rest_expired(std::string_view username) const noexcept {
  // coturn's form is "<timestamp><sep><user>"; "<user><sep><timestamp>" and a
  // bare "<timestamp>" are accepted too.
  int64_t expiry = 0;
  auto sep = username.find(options_.separator);
  bool ok =
      sep == std::string_view::npos
          ? parse_timestamp(username, expiry)
          : parse_timestamp(username.substr(0, sep), expiry) ||
                parse_timestamp(username.substr(username.rfind(options_.separator) + 1), expiry);
  return !ok || expiry < clock_.unix_seconds();
}

std::string Authenticator::rest_password(stun::MacContext& mac, std::string_view secret,
                                         std::string_view username) {
  std::array<std::byte, stun::kHmacSha1Size> digest{};
  const Bytes parts[] = {as_bytes(username)};
  if (!mac.hmac(stun::MacAlgorithm::kSha1, as_bytes(secret), parts, digest)) return {};
  std::array<unsigned char, 4 * ((stun::kHmacSha1Size + 2) / 3) + 1> encoded{};
  int length =
      EVP_EncodeBlock(encoded.data(), reinterpret_cast<const unsigned char*>(digest.data()),
                      static_cast<int>(digest.size()));
  return std::string(reinterpret_cast<const char*>(encoded.data()), static_cast<size_t>(length));
}

Authenticator::Lookup Authenticator::candidate_keys(std::string_view username,
                                                    stun::MacAlgorithm algorithm,
                                                    stun::MacContext& mac,
                                                    Candidates& out) const noexcept {
  out.count = 0;
  bool sha256 = algorithm == stun::MacAlgorithm::kSha256;
  out.key_length = sha256 ? 32 : 16;
  if (options_.lt_cred_mech) {
    if (auto it = options_.users.find(std::string(username)); it != options_.users.end()) {
      const UserKeys& user = it->second;
      if (!sha256) {
        std::memcpy(out.keys[out.count++].data(), user.md5.data(), 16);
      } else if (user.has_sha256) {
        out.keys[out.count++] = user.sha256;
      }
    }
  }
  bool expired = false;
  bool rest = options_.use_auth_secret && !options_.secrets.empty();
  bool browsers = !options_.sfu_secret.empty();
  if ((rest || browsers) && out.count == 0) {
    expired = rest_expired(username);
    auto add = [&](const std::string& secret, bool sfu_only) {
      std::string password = rest_password(mac, secret, username);
      out.sfu_only[out.count] = sfu_only;
      if (sha256) {
        out.keys[out.count++] = sha256_key(username, options_.realm, password);
      } else {
        Md5Key key = md5_key(username, options_.realm, password);
        std::memcpy(out.keys[out.count++].data(), key.data(), 16);
      }
    };
    try {
      for (size_t i = 0; rest && !expired && i < options_.secrets.size(); ++i) {
        if (out.count == kMaxCandidates - 1) break;  // room for the browsers' key
        add(options_.secrets[i], false);
      }
      if (browsers && !expired) add(options_.sfu_secret, true);
    } catch (...) {
      return Lookup::kUnknownUser;  // OpenSSL failure: refuse rather than crash
    }
  }
  if (out.count > 0) return Lookup::kFound;
  return expired ? Lookup::kExpired : Lookup::kUnknownUser;
}

}  // namespace turnd::auth

// Stateless nonces (RFC 8489 §9.2): "<expiry seconds, hex><HMAC tag, hex>".
// The tag is HMAC-SHA256 over the expiry and the client's IP with a random
// per-process key, so a nonce cannot be forged, is bound to the address it
// was given to, and expires after `stale-nonce` seconds without any state.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "turnd/common/address.h"
#include "turnd/common/clock.h"
#include "turnd/stun/integrity.h"

namespace turnd::auth {

class NonceIssuer {
 public:
  static constexpr size_t kNonceLength = 8 + 24;  // hex expiry + 96-bit hex tag

  NonceIssuer(const Clock& clock, uint32_t lifetime_seconds);  // random key
  NonceIssuer(const Clock& clock, uint32_t lifetime_seconds, std::array<std::byte, 32> key);

  using Nonce = std::array<char, kNonceLength>;
  Nonce issue(stun::MacContext& mac, const SocketAddress& client) const noexcept;

  enum class Check : uint8_t { kValid, kStale, kInvalid };
  Check check(stun::MacContext& mac, std::string_view nonce,
              const SocketAddress& client) const noexcept;

 private:
  bool tag(stun::MacContext& mac, uint32_t expiry, const SocketAddress& client,
           std::array<char, 24>& out) const noexcept;

  const Clock& clock_;
  uint32_t lifetime_;
  std::array<std::byte, 32> key_{};
};

}  // namespace turnd::auth

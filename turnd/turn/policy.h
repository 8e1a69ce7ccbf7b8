// Policy: the reloadable part of a TURN server's settings — credentials,
// nonces, peer rules and protocol options — as one immutable snapshot. A
// configuration reload builds a new Policy; each worker switches to it
// between two packets, and the old one is freed when the last worker lets go.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "turnd/auth/authenticator.h"
#include "turnd/auth/nonce.h"
#include "turnd/common/clock.h"
#include "turnd/turn/peer_policy.h"

namespace turnd::turn {

struct ServerOptions {
  bool fingerprint = false;  // add FINGERPRINT to every response (also when asked)
  bool software = false;     // add SOFTWARE
  bool no_stun = false;      // ignore Binding requests
  uint32_t default_lifetime = 600;
  uint32_t max_lifetime = 3600;
  uint32_t permission_lifetime = 300;
  uint32_t channel_lifetime = 600;
  uint32_t max_bps = 0;
};

struct Policy {
  // The nonce key is kept across reloads so nonces already handed out stay valid.
  Policy(const Clock& clock, auth::AuthOptions auth, uint32_t nonce_lifetime,
         const std::array<std::byte, 32>& nonce_key, PeerPolicy::Options peers,
         ServerOptions server)
      : authenticator(clock, std::move(auth)),
        nonces(clock, nonce_lifetime, nonce_key),
        peer_policy(std::move(peers)),
        options(server) {}

  auth::Authenticator authenticator;
  auth::NonceIssuer nonces;
  PeerPolicy peer_policy;
  ServerOptions options;
};

using PolicyPtr = std::shared_ptr<const Policy>;

}  // namespace turnd::turn

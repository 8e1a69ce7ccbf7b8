// SharedState: what all workers read (immutable after start-up) or share
// through their own synchronisation (quota, reservations). Built once from
// the Config; nothing else is global.
#pragma once

#include <memory>
#include <vector>

#include "turnd/auth/authenticator.h"
#include "turnd/auth/nonce.h"
#include "turnd/common/clock.h"
#include "turnd/config/config.h"
#include "turnd/net/relay_factory.h"
#include "turnd/net/tls_context.h"
#include "turnd/turn/peer_policy.h"
#include "turnd/turn/quota.h"
#include "turnd/turn/server.h"

namespace turnd::server {

struct SharedState {
  explicit SharedState(config::Config config);

  config::Config config;
  SystemClock clock;
  auth::Authenticator authenticator;
  auth::NonceIssuer nonces;
  turn::PeerPolicy peer_policy;
  turn::Quota quota;
  net::ReservationTable reservations;
  std::unique_ptr<net::TlsContext> tls;  // null: no TLS listener
  net::RelayPlan relay_plan;
  turn::ServerOptions turn_options;
  std::vector<SocketAddress> listen_addresses;
  bool wildcard_listen = false;  // IPv6 wildcard may be absent on the host
};

}  // namespace turnd::server

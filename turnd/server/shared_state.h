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
#include "turnd/server/stored_credentials.h"
#include "turnd/turn/peer_policy.h"
#include "turnd/turn/policy.h"
#include "turnd/turn/quota.h"
#include "turnd/turn/server.h"

namespace turnd::server {

struct SharedState {
  explicit SharedState(config::Config config);

  // The reloadable settings of `c` (credentials, peer rules, options), with
  // the users and secrets `stored` adds for the realm.
  turn::PolicyPtr make_policy(const config::Config& c) const;

  // Re-reads `stored` from c.database; on failure keeps what it had and logs.
  void refresh_stored(const config::Config& c);

  config::Config config;
  SystemClock clock;
  StoredCredentials stored;             // from `database`, refreshed on reload
  std::array<std::byte, 32> nonce_key;  // kept across reloads
  // The secret of the browsers' TURN credentials (the SFU is their only peer):
  // random per process, never written anywhere, kept across reloads.
  std::string sfu_secret;
  turn::PolicyPtr policy;  // replaced by a reload
  turn::Quota quota;
  net::ReservationTable reservations;
  std::shared_ptr<const net::TlsContext> tls;  // null: no TLS listener
  net::RelayPlan relay_plan;
  std::vector<SocketAddress> listen_addresses;
  bool wildcard_listen = false;  // IPv6 wildcard may be absent on the host
};

}  // namespace turnd::server

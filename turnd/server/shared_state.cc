#include "turnd/server/shared_state.h"

#include <netinet/in.h>
#include <openssl/rand.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "turnd/common/log.h"

namespace turnd::server {
namespace {

auth::AuthOptions auth_options(const config::Config& c) {
  auth::AuthOptions o;
  o.realm = c.realm;
  o.lt_cred_mech = c.lt_cred_mech;
  o.use_auth_secret = c.use_auth_secret;
  o.secrets = c.static_auth_secrets;
  o.separator = c.rest_api_separator;
  for (const config::User& u : c.users) {
    auth::UserKeys keys;
    keys.md5 = u.md5_key;
    if (u.sha256_key) {
      keys.has_sha256 = true;
      keys.sha256 = *u.sha256_key;
    }
    o.users[u.name] = keys;
  }
  return o;
}

// The source address the kernel would use towards the internet; connecting a
// UDP socket sends nothing.
SocketAddress default_route_address(Family family) {
  SocketAddress probe =
      *SocketAddress::parse(family == Family::kIPv4 ? "192.0.2.1" : "2001:db8::1", 9);
  int fd = ::socket(family == Family::kIPv4 ? AF_INET : AF_INET6, SOCK_DGRAM, 0);
  if (fd < 0) return {};
  SocketAddress out;
  if (::connect(fd, probe.sockaddr_ptr(), probe.sockaddr_len()) == 0) {
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0) {
      out = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len).value_or(out);
    }
  }
  ::close(fd);
  return out.with_port(0);
}

bool is_wildcard(const SocketAddress& a) {
  for (std::byte b : a.ip_bytes()) {
    if (b != std::byte{0}) return false;
  }
  return true;
}

SocketAddress pick_relay_ip(const config::Config& c, Family family) {
  for (const SocketAddress& a : c.relay_ips) {
    if (a.family() == family) return a.with_port(0);
  }
  if (!c.relay_ips.empty()) return {};
  for (const SocketAddress& a : c.listening_ips) {
    if (a.family() == family && !is_wildcard(a)) return a.with_port(0);
  }
  if (family == Family::kIPv6) return {};  // IPv6 relaying only when configured
  SocketAddress found = default_route_address(family);
  if (found.empty()) {
    LOG_WARN("config", "no relay-ip and no route to the internet: relaying from 127.0.0.1");
    return *SocketAddress::parse("127.0.0.1");
  }
  return found;
}

net::RelayPlan relay_plan(const config::Config& c) {
  net::RelayPlan plan;
  plan.ipv4 = pick_relay_ip(c, Family::kIPv4);
  plan.ipv6 = pick_relay_ip(c, Family::kIPv6);
  plan.min_port = c.min_port;
  plan.max_port = c.max_port;
  for (const config::ExternalIp& e : c.external_ips)
    plan.external.emplace_back(e.public_ip, e.private_ip);
  return plan;
}

turn::ServerOptions turn_options(const config::Config& c) {
  turn::ServerOptions o;
  o.fingerprint = c.fingerprint;
  o.software = c.software_attribute;
  o.no_stun = c.no_stun;
  o.default_lifetime = c.default_allocate_lifetime;
  o.max_lifetime = c.max_allocate_lifetime;
  o.permission_lifetime = c.permission_lifetime;
  o.channel_lifetime = c.channel_lifetime;
  o.max_bps = c.max_bps;
  return o;
}

std::array<std::byte, 32> random_key() {
  std::array<std::byte, 32> key{};
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), key.size()) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
  return key;
}

}  // namespace

turn::PolicyPtr SharedState::make_policy(const config::Config& c) const {
  auth::AuthOptions auth = auth_options(c);
  for (const db::TurnUser& user : stored.users) {
    auth::UserKeys keys;
    keys.md5 = user.md5_key;
    auth.users.emplace(user.name, keys);  // a config file user of the same name wins
  }
  auth.secrets.insert(auth.secrets.end(), stored.secrets.begin(), stored.secrets.end());
  auth.sfu_secret = sfu_secret;
  return std::make_shared<const turn::Policy>(
      clock, std::move(auth), c.stale_nonce, nonce_key,
      turn::PeerPolicy::Options{c.allowed_peer_ips, c.denied_peer_ips, c.allow_loopback_peers},
      turn_options(c));
}

void SharedState::refresh_stored(const config::Config& c) {
  if (c.database.empty()) {
    stored = {};
    return;
  }
  try {
    stored = load_stored_credentials(c.database, c.realm);
    LOG_INFO("db", "%zu TURN users and %zu REST secrets of realm '%s' loaded from the database",
             stored.users.size(), stored.secrets.size(), c.realm.c_str());
  } catch (const std::exception& e) {
    LOG_ERROR("db", "%s; going on with the config file's credentials%s", e.what(),
              stored.users.empty() && stored.secrets.empty() ? "" : " and those loaded before");
  }
}

SharedState::SharedState(config::Config c)
    : config(std::move(c)),
      nonce_key(random_key()),
      sfu_secret([] {
        auto key = random_key();  // 32 random bytes: an HMAC key, never shown
        return std::string(reinterpret_cast<const char*>(key.data()), key.size());
      }()),

      quota(config.total_quota, config.user_quota),
      reservations(clock),
      relay_plan(server::relay_plan(config)) {
  refresh_stored(config);
  policy = make_policy(config);
  if (!config.no_tls && !config.cert.empty()) {
    tls = std::make_shared<const net::TlsContext>(config.cert, config.pkey, config.cipher_list);
  }
  listen_addresses = config.listening_ips;
  if (listen_addresses.empty()) {
    wildcard_listen = true;
    listen_addresses = {SocketAddress::any(Family::kIPv4), SocketAddress::any(Family::kIPv6)};
  }
}

}  // namespace turnd::server

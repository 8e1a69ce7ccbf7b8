// finalize(): the checks that need every key, then the user keys.
#include <string>

#include "turnd/config/config.h"
#include "turnd/config/users.h"
#include "turnd/config/values.h"

namespace turnd::config {
namespace {

constexpr unsigned kMaxRelayThreads = 256;

void warn(Config& config, std::string_view where, std::string_view message) {
  std::string warning(where);
  warning.append(": ").append(message);
  config.warnings.push_back(std::move(warning));
}

void check_ports(const Config& config, std::string_view where) {
  if (config.min_port > config.max_port) {
    fail(where, "min-port (" + std::to_string(config.min_port) + ") is greater than max-port (" +
                    std::to_string(config.max_port) + ")");
  }
}

void check_auth(Config& config, std::string_view where) {
  if (!config.users.empty() && !config.lt_cred_mech) fail(where, "user= needs lt-cred-mech");
  if (config.use_auth_secret && config.static_auth_secrets.empty()) {
    fail(where, "use-auth-secret needs at least one static-auth-secret");
  }
  if (config.lt_cred_mech && config.realm.empty()) fail(where, "lt-cred-mech needs a realm");
  if (config.use_auth_secret && config.realm.empty()) fail(where, "use-auth-secret needs a realm");
  if (!config.use_auth_secret && !config.static_auth_secrets.empty()) {
    warn(config, where, "static-auth-secret is ignored without use-auth-secret");
  }
  if (!config.lt_cred_mech && !config.use_auth_secret) {
    warn(config, where, "no authentication (neither lt-cred-mech nor use-auth-secret): open relay");
  }
}

// Without cert and pkey the TLS listener is simply not started.
void check_listeners(const Config& config, std::string_view where) {
  bool tls_configured = !config.no_tls && !config.cert.empty() && !config.pkey.empty();
  if (!config.no_tls && !config.cert.empty() && config.pkey.empty())
    fail(where, "cert= needs pkey=");
  if (!config.no_tls && config.cert.empty() && !config.pkey.empty())
    fail(where, "pkey= needs cert=");
  if (config.no_udp && config.no_tcp && config.no_tls) {
    fail(where, "no listeners: no-udp, no-tcp and no-tls are all set");
  }
  if (config.no_udp && config.no_tcp && !tls_configured) {
    fail(where, "no listeners: no-udp and no-tcp are set and TLS has no cert=/pkey=");
  }
}

void check_positive(uint32_t value, std::string_view key, std::string_view where) {
  if (value == 0) fail(where, std::string(key) + " must be greater than 0");
}

void check_lifetimes(Config& config, std::string_view where) {
  check_positive(config.max_allocate_lifetime, "max-allocate-lifetime", where);
  check_positive(config.default_allocate_lifetime, "default-allocate-lifetime", where);
  check_positive(config.channel_lifetime, "channel-lifetime", where);
  check_positive(config.permission_lifetime, "permission-lifetime", where);
  if (config.default_allocate_lifetime > config.max_allocate_lifetime) {
    config.default_allocate_lifetime = config.max_allocate_lifetime;
  }
}

void check_process(const Config& config, std::string_view where) {
  if (config.relay_threads > kMaxRelayThreads) {
    fail(where, "relay-threads: " + std::to_string(config.relay_threads) + " is more than " +
                    std::to_string(kMaxRelayThreads));
  }
}

}  // namespace

// The PROXY protocol names the client: trusted only from the load balancer.
void check_proxy_protocol(Config& config, std::string_view where) {
  bool any = config.proxy_protocol_tcp || config.proxy_protocol_tls || config.proxy_protocol_web;
  if (any && config.proxy_protocol_from.empty()) {
    fail(where,
         "proxy-protocol needs proxy-protocol-from (the load balancer's addresses): otherwise "
         "anyone could claim any client address");
  }
  if (!any && !config.proxy_protocol_from.empty()) {
    warn(config, where, "proxy-protocol-from is ignored without proxy-protocol");
  }
  if (web_shares_tls_port(config) && config.proxy_protocol_web != config.proxy_protocol_tls) {
    fail(where,
         "web-port is tls-listening-port, one listener: proxy-protocol must name both tls and "
         "web, or neither");
  }
}

void finalize(Config& config, std::string_view where) {
  PasswordWipe wipe(config);
  check_ports(config, where);
  check_auth(config, where);
  check_listeners(config, where);
  check_proxy_protocol(config, where);
  check_lifetimes(config, where);
  check_process(config, where);
  derive_user_keys(config, where);
}

}  // namespace turnd::config

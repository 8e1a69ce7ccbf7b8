#include "turnd/config/keys.h"

#include <algorithm>
#include <limits>

#include "turnd/config/duration.h"
#include "turnd/config/users.h"

namespace turnd::config {
namespace {

constexpr uint32_t kMaxNumber = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kDefaultStaleNonce = 600;

template <auto kMember>
void set_flag(Config& config, const Field& field) {
  config.*kMember = parse_bool(field);
}

template <auto kMember>
void clear_flag(Config& config, const Field& field) {
  config.*kMember = !parse_bool(field);
}

template <auto kMember>
void set_port(Config& config, const Field& field) {
  config.*kMember = parse_port(field);
}

template <auto kMember>
void set_number(Config& config, const Field& field) {
  config.*kMember = parse_number(field, 0, kMaxNumber);
}

template <auto kMember>
void set_string(Config& config, const Field& field) {
  config.*kMember = std::string(require_value(field));
}

template <auto kMember>
void add_string(Config& config, const Field& field) {
  (config.*kMember).emplace_back(require_value(field));
}

template <auto kMember>
void add_ip(Config& config, const Field& field) {
  (config.*kMember).push_back(parse_ip(field, require_value(field)));
}

template <auto kMember>
void add_ip_range(Config& config, const Field& field) {
  (config.*kMember).push_back(parse_ip_range(field));
}

void set_redirect_port(Config& config, const Field& field) {
  config.web_redirect_port = require_value(field) == "0" ? 0 : parse_port(field);
}

void set_tcp_port(Config& config, const Field& field) {
  config.sfu_tcp_port = require_value(field) == "0" ? 0 : parse_port(field);
}

template <auto kMember>
void set_ip(Config& config, const Field& field) {
  config.*kMember = parse_ip(field, require_value(field));
}

void add_external_ip(Config& config, const Field& field) {
  config.external_ips.push_back(parse_external_ip(field));
}

// proxy-protocol=tcp,tls,web (any of them, comma-separated; repeatable).
void set_proxy_protocol(Config& config, const Field& field) {
  std::string_view rest = require_value(field);
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view name = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name == "tcp") {
      config.proxy_protocol_tcp = true;
    } else if (name == "tls") {
      config.proxy_protocol_tls = true;
    } else if (name == "web") {
      config.proxy_protocol_web = true;
    } else {
      fail(field, "'" + std::string(name) + "' is not a listener: tcp, tls or web");
    }
  }
}

void set_no_auth(Config& config, const Field& field) {
  if (!parse_bool(field)) return;
  config.lt_cred_mech = false;
  config.use_auth_secret = false;
}

void set_prometheus_address(Config& config, const Field& field) {
  config.prometheus_address = parse_ip(field, require_value(field));
}

void set_separator(Config& config, const Field& field) {
  config.rest_api_separator = parse_char(field);
}

void set_stale_nonce(Config& config, const Field& field) {
  config.stale_nonce =
      field.value.empty() ? kDefaultStaleNonce : parse_number(field, 1, kMaxNumber);
}

void set_database(Config& config, const Field& field) {
  std::string_view url = require_value(field);
  bool uri = url.starts_with("postgresql://") || url.starts_with("postgres://");
  if (!uri && url.find('=') == std::string_view::npos) {
    fail(field, "expected a postgresql:// URL or a libpq connection string (host=... dbname=...)");
  }
  config.database = std::string(url);
}

void set_session_log_address(Config& config, const Field& field) {
  using enum Config::AddressPseudonym;
  std::string_view v = require_value(field);
  if (v == "none")
    config.session_log_address = kNone;
  else if (v == "prefix")
    config.session_log_address = kPrefix;
  else if (v == "hash")
    config.session_log_address = kHash;
  else if (v == "both" || v == "prefix,hash" || v == "hash,prefix")
    config.session_log_address = kBoth;
  else
    fail(field, quoted(v) + " is not one of none, prefix, hash, both");
}

void set_session_log_user(Config& config, const Field& field) {
  std::string_view v = require_value(field);
  if (v != "none" && v != "hash") fail(field, quoted(v) + " is not one of none, hash");
  config.session_log_user_hash = v == "hash";
}

void set_log_retention(Config& config, const Field& field) {
  std::string_view text = require_value(field);
  std::optional<uint32_t> seconds = parse_duration(text);
  if (!seconds) fail(field, quoted(text) + " is not a duration: a number and s, m, h or d (5d)");
  if (*seconds == 0) fail(field, "must be greater than 0");
  config.log_retention_seconds = *seconds;
}

using enum ValueKind;

constexpr KeySpec kKeys[] = {
    // Listeners.
    {"listening-ip", kValue, add_ip<&Config::listening_ips>},
    {"listening-port", kValue, set_port<&Config::listening_port>},
    {"tls-listening-port", kValue, set_port<&Config::tls_listening_port>},
    {"no-udp", kFlag, set_flag<&Config::no_udp>},
    {"no-tcp", kFlag, set_flag<&Config::no_tcp>},
    {"no-tls", kFlag, set_flag<&Config::no_tls>},
    {"no-stun", kFlag, set_flag<&Config::no_stun>},
    // Relay.
    {"relay-ip", kValue, add_ip<&Config::relay_ips>},
    {"external-ip", kValue, add_external_ip},
    {"min-port", kValue, set_port<&Config::min_port>},
    {"max-port", kValue, set_port<&Config::max_port>},
    // Authentication.
    {"realm", kValue, set_string<&Config::realm>},
    {"lt-cred-mech", kFlag, set_flag<&Config::lt_cred_mech>},
    {"no-auth", kFlag, set_no_auth},
    {"use-auth-secret", kFlag, set_flag<&Config::use_auth_secret>},
    {"static-auth-secret", kValue, add_string<&Config::static_auth_secrets>},
    {"rest-api-separator", kValue, set_separator},
    {"user", kValue, add_user},
    {"stale-nonce", kOptionalValue, set_stale_nonce},
    // TLS.
    {"cert", kValue, set_string<&Config::cert>},
    {"pkey", kValue, set_string<&Config::pkey>},
    {"cipher-list", kValue, set_string<&Config::cipher_list>},
    // Peer filtering.
    {"allowed-peer-ip", kValue, add_ip_range<&Config::allowed_peer_ips>},
    {"denied-peer-ip", kValue, add_ip_range<&Config::denied_peer_ips>},
    {"allow-loopback-peers", kFlag, set_flag<&Config::allow_loopback_peers>},
    {"no-multicast-peers", kFlag, set_flag<&Config::no_multicast_peers>},
    // Quotas and lifetimes.
    {"user-quota", kValue, set_number<&Config::user_quota>},
    {"total-quota", kValue, set_number<&Config::total_quota>},
    {"max-bps", kValue, set_number<&Config::max_bps>},
    {"max-allocate-lifetime", kValue, set_number<&Config::max_allocate_lifetime>},
    {"default-allocate-lifetime", kValue, set_number<&Config::default_allocate_lifetime>},
    {"channel-lifetime", kValue, set_number<&Config::channel_lifetime>},
    {"permission-lifetime", kValue, set_number<&Config::permission_lifetime>},
    // Process.
    {"relay-threads", kValue, set_number<&Config::relay_threads>},
    {"log-file", kValue, set_string<&Config::log_file>},
    {"verbose", kFlag, set_flag<&Config::verbose>},
    {"pidfile", kValue, set_string<&Config::pidfile>},
    {"fingerprint", kFlag, set_flag<&Config::fingerprint>},
    {"software-attribute", kFlag, set_flag<&Config::software_attribute>},
    {"no-software-attribute", kFlag, clear_flag<&Config::software_attribute>},
    {"log-privacy", kFlag, set_flag<&Config::log_privacy>},
    // Observability.
    {"prometheus", kFlag, set_flag<&Config::prometheus>},
    {"prometheus-port", kValue, set_port<&Config::prometheus_port>},
    {"prometheus-address", kValue, set_prometheus_address},
    // PostgreSQL store.
    {"database", kValue, set_database},
    {"log-retention", kValue, set_log_retention},
    {"session-log-address", kValue, set_session_log_address},
    {"session-log-user", kValue, set_session_log_user},
    {"session-log-memory", kValue, set_number<&Config::session_log_memory>},
    {"server-name", kValue, set_string<&Config::server_name>},
    {"state-dir", kValue, set_string<&Config::state_dir>},
    // The SFU.
    {"no-sfu", kFlag, set_flag<&Config::no_sfu>},
    {"web-port", kValue, set_port<&Config::web_port>},
    {"web-address", kValue, set_ip<&Config::web_address>},
    {"web-redirect-port", kValue, set_redirect_port},
    {"sfu-port", kValue, set_port<&Config::sfu_port>},
    {"sfu-ip", kValue, set_ip<&Config::sfu_ip>},
    {"sfu-tcp-port", kValue, set_tcp_port},
    {"sfu-inprocess-relay", kFlag, set_flag<&Config::sfu_inprocess_relay>},
    {"web-root", kValue, set_string<&Config::web_root>},
    {"sfu-turns-host", kValue, set_string<&Config::sfu_turns_host>},
    {"web-host", kValue, set_string<&Config::web_host>},
    {"imprint-file", kValue, set_string<&Config::imprint_file>},
    {"privacy-file", kValue, set_string<&Config::privacy_file>},
    {"connection-limit-per-address", kValue, set_number<&Config::connection_limit_per_address>},
    {"connection-limit", kValue, set_number<&Config::connection_limit>},
    {"proxy-protocol", kValue, set_proxy_protocol},
    {"proxy-protocol-from", kValue, add_ip_range<&Config::proxy_protocol_from>},
    {"join-free-attempts", kValue, set_number<&Config::join_free_attempts>},
    {"join-max-failures", kValue, set_number<&Config::join_max_failures>},
};

}  // namespace

std::span<const KeySpec> turnd_keys() {
  return kKeys;
}

const KeySpec* find_key(std::string_view name) {
  auto it = std::ranges::find(kKeys, name, &KeySpec::name);
  return it == std::end(kKeys) ? nullptr : &*it;
}

}  // namespace turnd::config

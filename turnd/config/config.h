// Config: the immutable settings turnd runs with, loaded from a coturn-style
// `key=value` file (`-c FILE`) and `--key=value` command-line overrides.
// Key names are coturn's wherever the two servers share a setting; see
// docs/CONFIG.md for the reference. Loading throws ConfigError whose message
// is "FILE:LINE: reason" (or "command line: reason").
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "turnd/common/address.h"
#include "turnd/common/connection_counter.h"
#include "turnd/common/ip_range.h"

namespace turnd::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A long-term credential user. Passwords are never kept: only the keys the
// STUN integrity mechanisms need (RFC 8489 §9.2.2).
struct User {
  std::string name;
  std::array<uint8_t, 16> md5_key{};                  // MD5(name:realm:password)
  std::optional<std::array<uint8_t, 32>> sha256_key;  // SHA-256(...), only from a password
};

// A clear password from a user= line, waiting for the realm (which may come
// later in the file or on the command line). finalize() turns it into the keys
// of users[user_index] and wipes it; a finalized Config never holds one.
struct PendingPassword {
  size_t user_index = 0;
  std::string password;
};

// external-ip=PUBLIC or external-ip=PUBLIC/PRIVATE (1:1 NAT mapping).
struct ExternalIp {
  SocketAddress public_ip;
  SocketAddress private_ip;  // empty: applies to every relay address of that family
};

struct Config {
  // Listeners.
  std::vector<SocketAddress> listening_ips;  // empty: all IPv4 and IPv6 addresses
  uint16_t listening_port = 3478;            // UDP and TCP
  uint16_t tls_listening_port = 5349;
  bool no_udp = false;
  bool no_tcp = false;
  bool no_tls = false;
  bool no_stun = false;  // answer no Binding requests

  // Relay.
  std::vector<SocketAddress> relay_ips;  // empty: the listening IPs / wildcard
  std::vector<ExternalIp> external_ips;
  uint16_t min_port = 49152;
  uint16_t max_port = 65535;

  // Authentication.
  std::string realm;
  bool lt_cred_mech = false;
  bool use_auth_secret = false;
  std::vector<std::string> static_auth_secrets;  // first one is current; all are accepted
  char rest_api_separator = ':';
  std::vector<User> users;
  uint32_t stale_nonce = 600;  // seconds a nonce stays valid

  // TLS.
  std::string cert;
  std::string pkey;
  std::string cipher_list;  // empty: OpenSSL's default for TLS 1.2; TLS 1.3 suites unaffected

  // Peer filtering.
  std::vector<IpRange> allowed_peer_ips;
  std::vector<IpRange> denied_peer_ips;
  bool allow_loopback_peers = false;
  bool no_multicast_peers = true;  // multicast is never relayed; kept for coturn files

  // Quotas and lifetimes (seconds; 0 quota = unlimited).
  uint32_t user_quota = 0;
  uint32_t total_quota = 0;
  uint32_t max_bps = 0;  // per allocation, bytes per second as in coturn; 0 = unlimited
  uint32_t max_allocate_lifetime = 3600;
  uint32_t default_allocate_lifetime = 600;
  uint32_t channel_lifetime = 600;
  uint32_t permission_lifetime = 300;

  // Process.
  unsigned relay_threads = 0;  // 0: one per online CPU
  std::string log_file;        // empty: stderr
  bool verbose = false;
  std::string pidfile;
  bool fingerprint = false;         // add FINGERPRINT to every response
  bool software_attribute = false;  // send SOFTWARE (off by default: no version leak)
  bool log_privacy = true;          // pseudonymise addresses and user names in logs

  // Observability: Prometheus /metrics and /healthz, local-only by default.
  bool prometheus = false;
  uint16_t prometheus_port = 9641;  // coturn's default
  SocketAddress prometheus_address = *SocketAddress::parse("127.0.0.1");
  std::string config_file;  // the file that was loaded, for logs and reload

  // PostgreSQL store (db/, turnctl). Empty: no database.
  std::string database;                        // libpq URL or connection string
  uint32_t log_retention_seconds = 5 * 86400;  // session logs older than this are purged
  // Session logs: which pseudonyms of a client address and of a user name are
  // stored (hashes are keyed with a secret that changes every log-retention).
  enum class AddressPseudonym : uint8_t { kNone, kPrefix, kHash, kBoth };
  AddressPseudonym session_log_address = AddressPseudonym::kPrefix;
  bool session_log_user_hash = true;         // false: no user column at all
  uint32_t session_log_memory = 100000;      // events held in memory during an outage, then journal
  std::string server_name;                   // this node's name in the logs; empty: the host name
  std::string state_dir = "/var/lib/turnd";  // session-log journal, pseudonym key

  // The SFU (docs/SFU.md): on with a database and a certificate, unless no-sfu.
  bool no_sfu = false;
  uint16_t web_port = 8443;         // HTTPS + WSS: the browser client and signalling
  uint16_t web_redirect_port = 0;   // plain HTTP redirected to the https page; 0: off. Equal
                                    // to listening-port: shared with TURN over TCP
  SocketAddress web_address;        // empty: the first listening-ip, else all IPv4
  uint16_t sfu_port = 7882;         // UDP media, shared by every participant
  uint16_t sfu_tcp_port = 7881;     // passive ICE-TCP (RFC 4571 framing); 0: off
  bool sfu_inprocess_relay = true;  // TURN to the SFU without relay sockets (issue 5)
  SocketAddress sfu_ip;             // empty: the first listening-ip, else relay-ip
  std::string web_root;             // the client's files; empty: installed or source tree
  std::string sfu_turns_host;       // the name in browsers' turns: URLs; empty: the page's
  std::string web_host;             // the page's DNS name: with a different sfu-turns-host,
                                    // a shared 443 routes by SNI (docs/ADMIN.md)
  std::string imprint_file;         // served at /imprint
  std::string privacy_file;         // served at /privacy
  // Open connections each TCP/TLS listener (the web port, and TURN's and
  // ICE-TCP's on every worker) takes per client address (IPv4, IPv6 /64);
  // twice that per /24 or /48, and `connection_limit` in all.
  uint32_t connection_limit_per_address = 1024;
  // PROXY protocol v1/v2 (docs/ADMIN.md, "Behind a load balancer"): the
  // listeners that expect its header, only from these sources.
  bool proxy_protocol_tcp = false;  // TURN over TCP (listening-port)
  bool proxy_protocol_tls = false;  // TURN over TLS (tls-listening-port)
  bool proxy_protocol_web = false;  // the web port
  std::vector<IpRange> proxy_protocol_from;
  uint32_t connection_limit = 8192;
  // Access-code guessing (sfu/conference/join_throttle.h), per address:
  uint32_t join_free_attempts = 10;  // wrong codes before each try is delayed
  uint32_t join_max_failures = 60;   // wrong codes (leaking 6 a minute) that refuse

  // Keys accepted but ignored and dubious combinations, each "WHERE: reason";
  // load() and parse_text() have already printed them to stderr.
  std::vector<std::string> warnings;

  ConnectionCounter::Limits connection_limits() const noexcept {
    return {connection_limit_per_address, 2 * connection_limit_per_address, connection_limit};
  }

  // Transient: only between apply() and finalize().
  std::vector<PendingPassword> pending_passwords;
};

// web-port == tls-listening-port on an address TURN listens on: one listener
// per address takes browsers' HTTPS and TURN over TLS (docs/ADMIN.md, "Port
// 443 only"), and the web server binds nothing of its own.
bool web_shares_tls_port(const Config& c) noexcept;
// The web server's address and port: web-address, else the first
// listening-ip, else 0.0.0.0.
SocketAddress web_listen_address(const Config& c) noexcept;
// Whether TURN's workers accept the web's connections and hand them over:
// on a shared port, or to read the PROXY protocol (proxy-protocol=web).
bool web_accepted_by_workers(const Config& c) noexcept;

// Parses `argv`: `-c FILE` / `-c=FILE` / `--config FILE` / `--config=FILE`,
// `--key=value`, `--flag`, `-v`. The file is applied first, then the other
// arguments (they win for scalar keys and append for repeatable ones), then
// finalize(). -h/--help/--version are the caller's job: here they are errors.
// Throws ConfigError; prints warnings to stderr.
Config load(int argc, const char* const* argv);

// Parses and finalizes the text of a configuration file; `name` is used in
// error messages. Throws ConfigError; prints warnings to stderr.
Config parse_text(std::string_view text, std::string_view name);

// Applies one `key` / `value` pair (value empty for flags) to `config`;
// `where` prefixes errors ("turnd.conf:12" or "command line").
void apply(Config& config, std::string_view key, std::string_view value, std::string_view where);

// Checks cross-key constraints and derives user keys once all keys are known.
void finalize(Config& config, std::string_view where);

}  // namespace turnd::config

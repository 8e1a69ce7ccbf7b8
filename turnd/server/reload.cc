#include "turnd/server/reload.h"

namespace turnd::server {
namespace {

bool same_external(const std::vector<config::ExternalIp>& a,
                   const std::vector<config::ExternalIp>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!(a[i].public_ip == b[i].public_ip) || !(a[i].private_ip == b[i].private_ip)) return false;
  }
  return true;
}

bool tls_listening(const config::Config& c) {
  return !c.no_tls && !c.cert.empty();
}

}  // namespace

std::vector<std::string> keys_needing_restart(const config::Config& a, const config::Config& b) {
  std::vector<std::string> keys;
  auto check = [&](bool same, const char* key) {
    if (!same) keys.emplace_back(key);
  };
  check(a.listening_ips == b.listening_ips, "listening-ip");
  check(a.listening_port == b.listening_port, "listening-port");
  check(a.tls_listening_port == b.tls_listening_port, "tls-listening-port");
  check(a.no_udp == b.no_udp, "no-udp");
  check(a.no_tcp == b.no_tcp, "no-tcp");
  check(tls_listening(a) == tls_listening(b), "no-tls/cert (starting or stopping TLS)");
  check(a.relay_ips == b.relay_ips, "relay-ip");
  check(same_external(a.external_ips, b.external_ips), "external-ip");
  check(a.min_port == b.min_port && a.max_port == b.max_port, "min-port/max-port");
  check(a.relay_threads == b.relay_threads, "relay-threads");
  check(a.prometheus == b.prometheus && a.prometheus_port == b.prometheus_port &&
            a.prometheus_address == b.prometheus_address,
        "prometheus");
  check(a.pidfile == b.pidfile, "pidfile");
  check(a.database == b.database, "database");
  check(a.log_retention_seconds == b.log_retention_seconds, "log-retention");
  check(a.session_log_address == b.session_log_address, "session-log-address");
  check(a.session_log_user_hash == b.session_log_user_hash, "session-log-user");
  check(a.session_log_memory == b.session_log_memory, "session-log-memory");
  check(a.server_name == b.server_name, "server-name");
  check(a.state_dir == b.state_dir, "state-dir");
  check(a.no_sfu == b.no_sfu, "no-sfu");
  check(a.web_port == b.web_port, "web-port");
  check(a.web_address == b.web_address, "web-address");
  check(a.web_host == b.web_host, "web-host");
  check(a.web_redirect_port == b.web_redirect_port, "web-redirect-port");
  check(a.sfu_port == b.sfu_port, "sfu-port");
  check(a.sfu_ip == b.sfu_ip, "sfu-ip");
  check(a.sfu_tcp_port == b.sfu_tcp_port, "sfu-tcp-port");
  check(a.sfu_inprocess_relay == b.sfu_inprocess_relay, "sfu-inprocess-relay");
  check(a.web_root == b.web_root, "web-root");
  check(a.imprint_file == b.imprint_file, "imprint-file");
  check(a.privacy_file == b.privacy_file, "privacy-file");
  check(a.proxy_protocol_tcp == b.proxy_protocol_tcp &&
            a.proxy_protocol_tls == b.proxy_protocol_tls &&
            a.proxy_protocol_web == b.proxy_protocol_web,
        "proxy-protocol");
  auto ranges = [](const std::vector<IpRange>& list) {
    std::string text;
    for (const IpRange& r : list) text += r.to_string() + " ";
    return text;
  };
  check(ranges(a.proxy_protocol_from) == ranges(b.proxy_protocol_from), "proxy-protocol-from");
  return keys;
}

}  // namespace turnd::server

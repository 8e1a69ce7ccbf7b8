#include "turnd/config/describe.h"

namespace turnd::config {
namespace {

class Lines {
 public:
  void add(const char* key, const std::string& value) {
    out_.push_back(std::string(key) + "=" + value);
  }
  void add(const char* key, uint64_t value) { add(key, std::to_string(value)); }
  void flag(const char* key, bool on) { add(key, on ? "on" : "off"); }
  template <typename List, typename Fn>
  void each(const char* key, const List& list, Fn&& text) {
    if (list.empty()) add(key, "(none)");
    for (const auto& item : list) add(key, text(item));
  }
  std::vector<std::string> take() { return std::move(out_); }

 private:
  std::vector<std::string> out_;
};

}  // namespace

std::vector<std::string> describe(const Config& c) {
  Lines l;
  auto ip = [](const SocketAddress& a) { return a.ip_string(); };
  auto range = [](const IpRange& r) { return r.to_string(); };
  l.each("listening-ip", c.listening_ips, ip);
  l.add("listening-port", c.listening_port);
  l.add("tls-listening-port", c.tls_listening_port);
  l.flag("udp", !c.no_udp);
  l.flag("tcp", !c.no_tcp);
  l.flag("tls", !c.no_tls && !c.cert.empty());
  l.flag("stun", !c.no_stun);
  l.each("relay-ip", c.relay_ips, ip);
  l.each("external-ip", c.external_ips, [](const ExternalIp& e) {
    return e.private_ip.empty() ? e.public_ip.ip_string()
                                : e.public_ip.ip_string() + "/" + e.private_ip.ip_string();
  });
  l.add("ports", std::to_string(c.min_port) + "-" + std::to_string(c.max_port));
  l.add("realm", c.realm.empty() ? "(none)" : c.realm);
  l.flag("lt-cred-mech", c.lt_cred_mech);
  l.add("users", c.users.size());  // names and keys stay out of the log
  l.flag("use-auth-secret", c.use_auth_secret);
  l.add("static-auth-secret", std::to_string(c.static_auth_secrets.size()) + " (redacted)");
  l.add("stale-nonce", c.stale_nonce);
  l.add("cert", c.cert.empty() ? "(none)" : c.cert);
  l.add("pkey", c.pkey.empty() ? "(none)" : c.pkey);
  l.each("allowed-peer-ip", c.allowed_peer_ips, range);
  l.each("denied-peer-ip", c.denied_peer_ips, range);
  l.flag("allow-loopback-peers", c.allow_loopback_peers);
  l.add("user-quota", c.user_quota);
  l.add("total-quota", c.total_quota);
  l.add("max-bps", c.max_bps);
  l.add("lifetimes", "allocation " + std::to_string(c.default_allocate_lifetime) + "/" +
                         std::to_string(c.max_allocate_lifetime) + "s, permission " +
                         std::to_string(c.permission_lifetime) + "s, channel " +
                         std::to_string(c.channel_lifetime) + "s");
  l.add("relay-threads",
        c.relay_threads == 0 ? std::string("auto") : std::to_string(c.relay_threads));
  l.add("database", c.database.empty() ? "(none)" : "configured (the URL is not logged)");
  if (!c.database.empty()) {
    static constexpr const char* kAddress[] = {"none", "prefix", "hash", "both"};
    l.add("log-retention", std::to_string(c.log_retention_seconds) + "s");
    l.add("session-log-address", kAddress[static_cast<size_t>(c.session_log_address)]);
    l.add("session-log-user", c.session_log_user_hash ? "hash" : "none");
    l.add("state-dir", c.state_dir);
  }
  l.flag("log-privacy", c.log_privacy);
  l.flag("prometheus", c.prometheus);
  if (c.prometheus)
    l.add("prometheus-listener", c.prometheus_address.with_port(c.prometheus_port).to_string());
  return l.take();
}

}  // namespace turnd::config

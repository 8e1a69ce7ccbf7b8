// parse_text() and apply(): from lines to Config fields through the key
// tables (keys.cc for turnd's keys, coturn_keys.cc for coturn-only ones).
#include "turnd/config/config.h"

#include <cstdio>
#include <string>

#include "turnd/config/coturn_keys.h"
#include "turnd/config/keys.h"
#include "turnd/config/line.h"
#include "turnd/config/loader.h"
#include "turnd/config/suggest.h"
#include "turnd/config/users.h"
#include "turnd/config/values.h"

namespace turnd::config {
namespace {

void apply_coturn_key(Config& config, const CoturnKey& key, const Field& field) {
  if (key.action == CoturnAction::kReject) fail(field, key.reason);
  std::string warning(field.where);
  warning.append(": ").append(field.key).append(": ignored: ").append(key.reason);
  config.warnings.push_back(std::move(warning));
}

[[noreturn]] void fail_unknown(std::string_view key, std::string_view where) {
  std::string reason = "unknown key " + quoted(key);
  if (auto suggestion = closest_key(key)) {
    reason += " (did you mean " + quoted(*suggestion) + "?)";
  }
  fail(where, reason);
}

}  // namespace

void apply(Config& config, std::string_view key, std::string_view value, std::string_view where) {
  Field field{key, value, where};
  if (const KeySpec* spec = find_key(key)) {
    spec->apply(config, field);
  } else if (const CoturnKey* coturn = find_coturn_key(key)) {
    apply_coturn_key(config, *coturn, field);
  } else {
    fail_unknown(key, where);
  }
}

void apply_text(Config& config, std::string_view text, std::string_view name) {
  size_t line_number = 0;
  while (!text.empty()) {
    auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    std::string where(name);
    where.append(":").append(std::to_string(++line_number));
    if (auto entry = split_line(line, where)) apply(config, entry->key, entry->value, where);
  }
}

void print_warnings(const Config& config) {
  for (const auto& warning : config.warnings) {
    std::fprintf(stderr, "turnd: warning: %s\n", warning.c_str());
  }
}

Config parse_text(std::string_view text, std::string_view name) {
  Config config;
  PasswordWipe wipe(config);
  apply_text(config, text, name);
  finalize(config, name);
  print_warnings(config);
  return config;
}

}  // namespace turnd::config

namespace turnd::config {

bool web_shares_tls_port(const Config& c) noexcept {
  if (c.no_tls || c.cert.empty() || c.web_port != c.tls_listening_port) return false;
  if (c.web_address.empty()) return true;  // the web takes the first listening-ip, or all
  if (c.listening_ips.empty()) {
    return c.web_address == SocketAddress::any(c.web_address.family());
  }
  for (const SocketAddress& ip : c.listening_ips) {
    if (ip.same_ip(c.web_address)) return true;
  }
  return false;
}

SocketAddress web_listen_address(const Config& c) noexcept {
  if (!c.web_address.empty()) return c.web_address.with_port(c.web_port);
  if (!c.listening_ips.empty()) return c.listening_ips.front().with_port(c.web_port);
  return SocketAddress::any(Family::kIPv4, c.web_port);
}

bool web_accepted_by_workers(const Config& c) noexcept {
  return web_shares_tls_port(c) || c.proxy_protocol_web;
}

}  // namespace turnd::config

#include "turnd/config/coturn_keys.h"

#include <algorithm>

namespace turnd::config {
namespace {

using enum CoturnAction;

constexpr CoturnKey kCoturnKeys[] = {
    {"no-cli", kIgnore, "turnd has no telnet CLI"},
    {"cli-ip", kIgnore, "turnd has no telnet CLI"},
    {"cli-port", kIgnore, "turnd has no telnet CLI"},
    {"cli-password", kIgnore, "turnd has no telnet CLI"},
    {"cli-max-output-sessions", kIgnore, "turnd has no telnet CLI"},
    {"no-tlsv1", kIgnore, "turnd never offers TLS 1.0"},
    {"no-tlsv1_1", kIgnore, "turnd never offers TLS 1.1"},
    {"no-tlsv1_2", kReject, "turnd needs TLS 1.2 (it offers TLS 1.2 and 1.3 only)"},
    {"userdb", kReject, "turnd has no user database; use user= or use-auth-secret"},
    {"psql-userdb", kReject,
     "use database=postgresql://... (turnd reads coturn's turnusers_lt and turn_secret tables)"},
    {"mysql-userdb", kReject, "turnd has no user database; use user= or use-auth-secret"},
    {"mongo-userdb", kReject, "turnd has no user database; use user= or use-auth-secret"},
    {"redis-userdb", kReject, "turnd has no user database; use user= or use-auth-secret"},
    {"oauth", kReject, "turnd does not implement third-party authorization (RFC 7635)"},
    {"alternate-server", kReject, "turnd does not implement ALTERNATE-SERVER redirection"},
    {"tls-alternate-server", kReject, "turnd does not implement ALTERNATE-SERVER redirection"},
    {"no-dtls", kIgnore, "turnd has no DTLS listener"},
    {"dtls-listening-port", kIgnore, "turnd has no DTLS listener"},
    {"simple-log", kIgnore, "turnd has no coturn log-file naming options"},
    {"new-log-timestamp", kIgnore, "turnd has its own log timestamp format"},
    {"new-log-timestamp-format", kIgnore, "turnd has its own log timestamp format"},
    {"log-binding", kIgnore, "turnd has no separate switch for logging Binding requests"},
    {"syslog", kIgnore, "turnd logs to log-file or stderr only"},
    {"mobility", kIgnore, "turnd does not implement MICE mobility"},
    {"check-origin-consistency", kIgnore, "turnd does not check ORIGIN attributes"},
    {"proc-user", kIgnore,
     "turnd does not switch user; start it as the right user (systemd User=)"},
    {"proc-group", kIgnore,
     "turnd does not switch group; start it as the right group (systemd Group=)"},
    {"no-rfc5780", kIgnore, "turnd does not implement RFC 5780 NAT discovery"},
    {"no-stun-backward-compatibility", kIgnore, "turnd does not implement classic RFC 3489 STUN"},
    {"response-origin-only-with-rfc5780", kIgnore,
     "turnd does not implement RFC 5780, so never sends RESPONSE-ORIGIN"},
    {"secure-stun", kIgnore,
     "turnd answers Binding requests without authentication; use no-stun to refuse them"},
};

}  // namespace

std::span<const CoturnKey> coturn_keys() {
  return kCoturnKeys;
}

const CoturnKey* find_coturn_key(std::string_view name) {
  auto it = std::ranges::find(kCoturnKeys, name, &CoturnKey::name);
  return it == std::end(kCoturnKeys) ? nullptr : &*it;
}

}  // namespace turnd::config

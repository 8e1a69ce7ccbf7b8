#include "turnd/config/config.h"

#include <gtest/gtest.h>

#include "config_test_util.h"

namespace turnd::config {
namespace {

using test_util::hex;

TEST(ConfigDefaults, EmptyTextGivesDefaults) {
  Config c = parse_text("", "turnd.conf");
  EXPECT_TRUE(c.listening_ips.empty());
  EXPECT_EQ(c.listening_port, 3478);
  EXPECT_EQ(c.tls_listening_port, 5349);
  EXPECT_FALSE(c.no_udp);
  EXPECT_FALSE(c.no_tcp);
  EXPECT_FALSE(c.no_tls);
  EXPECT_FALSE(c.no_stun);
  EXPECT_TRUE(c.relay_ips.empty());
  EXPECT_TRUE(c.external_ips.empty());
  EXPECT_EQ(c.min_port, 49152);
  EXPECT_EQ(c.max_port, 65535);
  EXPECT_EQ(c.realm, "");
  EXPECT_FALSE(c.lt_cred_mech);
  EXPECT_FALSE(c.use_auth_secret);
  EXPECT_TRUE(c.static_auth_secrets.empty());
  EXPECT_EQ(c.rest_api_separator, ':');
  EXPECT_TRUE(c.users.empty());
  EXPECT_EQ(c.stale_nonce, 600u);
  EXPECT_EQ(c.cert, "");
  EXPECT_EQ(c.pkey, "");
  EXPECT_EQ(c.cipher_list, "");
  EXPECT_TRUE(c.allowed_peer_ips.empty());
  EXPECT_TRUE(c.denied_peer_ips.empty());
  EXPECT_FALSE(c.allow_loopback_peers);
  EXPECT_TRUE(c.no_multicast_peers);
  EXPECT_EQ(c.user_quota, 0u);
  EXPECT_EQ(c.total_quota, 0u);
  EXPECT_EQ(c.max_bps, 0u);
  EXPECT_EQ(c.max_allocate_lifetime, 3600u);
  EXPECT_EQ(c.default_allocate_lifetime, 600u);
  EXPECT_EQ(c.channel_lifetime, 600u);
  EXPECT_EQ(c.permission_lifetime, 300u);
  EXPECT_EQ(c.relay_threads, 0u);
  EXPECT_EQ(c.log_file, "");
  EXPECT_FALSE(c.verbose);
  EXPECT_EQ(c.pidfile, "");
  EXPECT_FALSE(c.fingerprint);
  EXPECT_FALSE(c.software_attribute);
  EXPECT_EQ(c.config_file, "");
  EXPECT_TRUE(c.pending_passwords.empty());
}

TEST(ConfigDefaults, NoAuthenticationIsAWarning) {
  Config c = parse_text("", "turnd.conf");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0],
            "turnd.conf: no authentication (neither lt-cred-mech nor use-auth-secret): open relay");
}

TEST(ConfigKeys, Listeners) {
  Config c = parse_text(
      "listening-ip=192.0.2.1\n"
      "listening-ip=2001:db8::1\n"
      "listening-port=3479\n"
      "tls-listening-port=5350\n"
      "no-udp\n"
      "no-stun\n",
      "turnd.conf");
  ASSERT_EQ(c.listening_ips.size(), 2u);
  EXPECT_EQ(c.listening_ips[0].ip_string(), "192.0.2.1");
  EXPECT_EQ(c.listening_ips[1].ip_string(), "2001:db8::1");
  EXPECT_EQ(c.listening_port, 3479);
  EXPECT_EQ(c.tls_listening_port, 5350);
  EXPECT_TRUE(c.no_udp);
  EXPECT_FALSE(c.no_tcp);
  EXPECT_TRUE(c.no_stun);
  EXPECT_TRUE(parse_text("no-tcp", "t").no_tcp);
  EXPECT_TRUE(parse_text("no-tls", "t").no_tls);
}

TEST(ConfigKeys, Relay) {
  Config c = parse_text(
      "relay-ip=10.0.0.5\n"
      "relay-ip=fd00::5\n"
      "external-ip=203.0.113.7\n"
      "external-ip=203.0.113.8/10.0.0.8\n"
      "min-port=40000\n"
      "max-port=40100\n",
      "turnd.conf");
  ASSERT_EQ(c.relay_ips.size(), 2u);
  EXPECT_EQ(c.relay_ips[0].ip_string(), "10.0.0.5");
  EXPECT_EQ(c.relay_ips[1].ip_string(), "fd00::5");
  ASSERT_EQ(c.external_ips.size(), 2u);
  EXPECT_EQ(c.external_ips[0].public_ip.ip_string(), "203.0.113.7");
  EXPECT_TRUE(c.external_ips[0].private_ip.empty());
  EXPECT_EQ(c.external_ips[1].public_ip.ip_string(), "203.0.113.8");
  EXPECT_EQ(c.external_ips[1].private_ip.ip_string(), "10.0.0.8");
  EXPECT_EQ(c.min_port, 40000);
  EXPECT_EQ(c.max_port, 40100);
}

TEST(ConfigKeys, Authentication) {
  Config c = parse_text(
      "realm=example.org\n"
      "lt-cred-mech\n"
      "use-auth-secret\n"
      "static-auth-secret=current\n"
      "static-auth-secret=previous\n"
      "rest-api-separator=-\n"
      "stale-nonce=120\n",
      "turnd.conf");
  EXPECT_EQ(c.realm, "example.org");
  EXPECT_TRUE(c.lt_cred_mech);
  EXPECT_TRUE(c.use_auth_secret);
  EXPECT_EQ(c.static_auth_secrets, (std::vector<std::string>{"current", "previous"}));
  EXPECT_EQ(c.rest_api_separator, '-');
  EXPECT_EQ(c.stale_nonce, 120u);
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ConfigKeys, BareStaleNonceMeansTheDefault) {
  EXPECT_EQ(parse_text("stale-nonce=30\nstale-nonce", "t").stale_nonce, 600u);
}

TEST(ConfigKeys, NoAuthClearsBothMechanisms) {
  Config c = parse_text("realm=r\nlt-cred-mech\nuse-auth-secret\nno-auth\n", "t");
  EXPECT_FALSE(c.lt_cred_mech);
  EXPECT_FALSE(c.use_auth_secret);
  Config kept = parse_text("realm=r\nlt-cred-mech\nno-auth=false\n", "t");
  EXPECT_TRUE(kept.lt_cred_mech);
}

TEST(ConfigKeys, Tls) {
  Config c = parse_text(
      "cert=/etc/turnd/cert.pem\npkey=/etc/turnd/key.pem\ncipher-list=ECDHE+AESGCM\n", "t");
  EXPECT_EQ(c.cert, "/etc/turnd/cert.pem");
  EXPECT_EQ(c.pkey, "/etc/turnd/key.pem");
  EXPECT_EQ(c.cipher_list, "ECDHE+AESGCM");
}

TEST(ConfigKeys, PeerFiltering) {
  Config c = parse_text(
      "denied-peer-ip=10.0.0.0/8\n"
      "denied-peer-ip=172.16.0.0-172.31.255.255\n"
      "allowed-peer-ip=10.1.2.3\n"
      "allowed-peer-ip=fd00::/8\n"
      "allow-loopback-peers\n"
      "no-multicast-peers\n",
      "t");
  ASSERT_EQ(c.denied_peer_ips.size(), 2u);
  EXPECT_EQ(c.denied_peer_ips[0].to_string(), "10.0.0.0-10.255.255.255");
  EXPECT_EQ(c.denied_peer_ips[1].to_string(), "172.16.0.0-172.31.255.255");
  ASSERT_EQ(c.allowed_peer_ips.size(), 2u);
  EXPECT_EQ(c.allowed_peer_ips[0].to_string(), "10.1.2.3");
  EXPECT_EQ(c.allowed_peer_ips[1].family(), Family::kIPv6);
  EXPECT_TRUE(c.allow_loopback_peers);
  EXPECT_TRUE(c.no_multicast_peers);
}

TEST(ConfigKeys, QuotasAndLifetimes) {
  Config c = parse_text(
      "user-quota=10\n"
      "total-quota=1000\n"
      "max-bps=125000\n"
      "max-allocate-lifetime=7200\n"
      "default-allocate-lifetime=900\n"
      "channel-lifetime=700\n"
      "permission-lifetime=400\n",
      "t");
  EXPECT_EQ(c.user_quota, 10u);
  EXPECT_EQ(c.total_quota, 1000u);
  EXPECT_EQ(c.max_bps, 125000u);
  EXPECT_EQ(c.max_allocate_lifetime, 7200u);
  EXPECT_EQ(c.default_allocate_lifetime, 900u);
  EXPECT_EQ(c.channel_lifetime, 700u);
  EXPECT_EQ(c.permission_lifetime, 400u);
}

TEST(ConfigKeys, DefaultLifetimeIsClampedToMax) {
  Config c = parse_text("max-allocate-lifetime=300\n", "t");
  EXPECT_EQ(c.max_allocate_lifetime, 300u);
  EXPECT_EQ(c.default_allocate_lifetime, 300u);
}

TEST(ConfigKeys, Process) {
  Config c = parse_text(
      "relay-threads=8\n"
      "log-file=/var/log/turnd.log\n"
      "verbose\n"
      "pidfile=/run/turnd.pid\n"
      "fingerprint\n"
      "software-attribute\n",
      "t");
  EXPECT_EQ(c.relay_threads, 8u);
  EXPECT_EQ(c.log_file, "/var/log/turnd.log");
  EXPECT_TRUE(c.verbose);
  EXPECT_EQ(c.pidfile, "/run/turnd.pid");
  EXPECT_TRUE(c.fingerprint);
  EXPECT_TRUE(c.software_attribute);
  EXPECT_FALSE(parse_text("software-attribute\nno-software-attribute\n", "t").software_attribute);
  EXPECT_EQ(parse_text("relay-threads=256", "t").relay_threads, 256u);
}

TEST(ConfigKeys, BooleanSpellings) {
  for (const char* yes : {"", "=true", "=1", "=yes", "=on", "=TRUE", "=On"}) {
    EXPECT_TRUE(parse_text(std::string("verbose") + yes, "t").verbose) << yes;
  }
  for (const char* no : {"=false", "=0", "=no", "=off", "=False"}) {
    EXPECT_FALSE(parse_text(std::string("verbose") + no, "t").verbose) << no;
  }
}

TEST(ConfigKeys, ScalarKeysLastOneWins) {
  Config c = parse_text("listening-port=1000\nlistening-port=2000\nrealm=a\nrealm=b\n", "t");
  EXPECT_EQ(c.listening_port, 2000);
  EXPECT_EQ(c.realm, "b");
}

TEST(ConfigSyntax, CommentsBlankLinesAndWhitespace) {
  Config c = parse_text(
      "# a comment\n"
      "\n"
      "   \t\n"
      "   # an indented comment\n"
      "  realm   =   example.org   # trailing comment\n"
      "verbose # a flag with a comment\n"
      "pidfile=/run/a#b.pid\n"
      "fingerprint\t# tab before the comment\r\n",
      "t");
  EXPECT_EQ(c.realm, "example.org");
  EXPECT_TRUE(c.verbose);
  EXPECT_EQ(c.pidfile, "/run/a#b.pid");  // '#' not after whitespace is data
  EXPECT_TRUE(c.fingerprint);
}

TEST(ConfigSyntax, QuotedValues) {
  Config c = parse_text(
      "realm=\"my realm # not a comment\"  # a comment\n"
      "pidfile = \"/run/turnd.pid\"\n"
      "cipher-list=\"a\"#b\n",
      "t");
  EXPECT_EQ(c.realm, "my realm # not a comment");
  EXPECT_EQ(c.pidfile, "/run/turnd.pid");
  EXPECT_EQ(c.cipher_list, "a");
}

TEST(ConfigSyntax, QuotedEmptyValueIsMissing) {
  EXPECT_EQ(test_util::parse_error("realm=\"\""), "turnd.conf:1: realm: missing value");
}

TEST(ConfigUsers, PasswordGivesMd5AndSha256Keys) {
  Config c = parse_text("realm=realm\nlt-cred-mech\nuser=user:pass\n", "t");
  ASSERT_EQ(c.users.size(), 1u);
  EXPECT_EQ(c.users[0].name, "user");
  // printf %s user:realm:pass | md5sum
  EXPECT_EQ(hex(c.users[0].md5_key), "8493fbc53ba582fb4c044c456bdc40eb");
  ASSERT_TRUE(c.users[0].sha256_key);
  // printf %s user:realm:pass | sha256sum
  EXPECT_EQ(hex(*c.users[0].sha256_key),
            "07e934117abd40836e7c6329b54731b2b2d2a5f9a71f544922d75e0730d8251b");
  EXPECT_TRUE(c.pending_passwords.empty());
}

TEST(ConfigUsers, RealmMayComeAfterTheUser) {
  Config c = parse_text("user=user:pass\nlt-cred-mech\nrealm=realm\n", "t");
  EXPECT_EQ(hex(c.users[0].md5_key), "8493fbc53ba582fb4c044c456bdc40eb");
}

TEST(ConfigUsers, HexKeyForm) {
  Config c =
      parse_text("realm=realm\nlt-cred-mech\nuser=alice:0x8493FBC53BA582FB4C044C456BDC40EB\n", "t");
  ASSERT_EQ(c.users.size(), 1u);
  EXPECT_EQ(c.users[0].name, "alice");
  EXPECT_EQ(hex(c.users[0].md5_key), "8493fbc53ba582fb4c044c456bdc40eb");
  EXPECT_FALSE(c.users[0].sha256_key);
}

TEST(ConfigUsers, PasswordsMayContainColonsAndShortHex) {
  Config c = parse_text("realm=r\nlt-cred-mech\nuser=bob:a:b:c\nuser=carol:0x1234\n", "t");
  ASSERT_EQ(c.users.size(), 2u);
  EXPECT_EQ(c.users[0].name, "bob");
  EXPECT_TRUE(c.users[0].sha256_key);  // a password, not a key
  EXPECT_EQ(c.users[1].name, "carol");
  EXPECT_TRUE(c.users[1].sha256_key);
}

TEST(ConfigUsers, RepeatableInOrder) {
  Config c = parse_text(
      "realm=r\nlt-cred-mech\nuser=a:1\nuser=b:0x" + std::string(32, '0') + "\nuser=c:3\n", "t");
  ASSERT_EQ(c.users.size(), 3u);
  EXPECT_EQ(c.users[0].name, "a");
  EXPECT_EQ(c.users[1].name, "b");
  EXPECT_EQ(c.users[2].name, "c");
  EXPECT_TRUE(c.users[2].sha256_key);
}

TEST(ConfigCoturn, IgnoredKeysWarn) {
  Config c = parse_text(
      "no-cli\ncli-ip=127.0.0.1\ncli-port=5766\ncli-password=x\nno-tlsv1\nno-tlsv1_1\nno-dtls\n"
      "dtls-listening-port=5350\nsimple-log\nnew-log-timestamp\nlog-binding\nsyslog\nmobility\n"
      "check-origin-consistency\nproc-user=turnd\nproc-group=turnd\n"
      "no-rfc5780\nno-stun-backward-compatibility\nresponse-origin-only-with-rfc5780\n"
      "secure-stun\nrealm=r\nlt-cred-mech\n",
      "turnd.conf");
  ASSERT_EQ(c.warnings.size(), 20u);
  EXPECT_EQ(c.warnings[0], "turnd.conf:1: no-cli: ignored: turnd has no telnet CLI");
  EXPECT_EQ(c.warnings[1], "turnd.conf:2: cli-ip: ignored: turnd has no telnet CLI");
}

TEST(ConfigApply, WhereIsUsedForWarningsAndErrors) {
  Config c;
  apply(c, "no-cli", "", "command line");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0], "command line: no-cli: ignored: turnd has no telnet CLI");
  EXPECT_THROW(apply(c, "listening-port", "x", "command line"), ConfigError);
}

}  // namespace
}  // namespace turnd::config

namespace turnd::config {
namespace {

TEST(ConfigKeys, ObservabilityAndPrivacy) {
  Config defaults = parse_text("", "t");
  EXPECT_FALSE(defaults.prometheus);
  EXPECT_EQ(defaults.prometheus_port, 9641);
  EXPECT_EQ(defaults.prometheus_address.ip_string(), "127.0.0.1");
  EXPECT_TRUE(defaults.log_privacy);
  Config c = parse_text(
      "prometheus\n"
      "prometheus-port=9100\n"
      "prometheus-address=::1\n"
      "log-privacy=off\n",
      "t");
  EXPECT_TRUE(c.prometheus);
  EXPECT_EQ(c.prometheus_port, 9100);
  EXPECT_EQ(c.prometheus_address.ip_string(), "::1");
  EXPECT_FALSE(c.log_privacy);
  EXPECT_THROW(parse_text("prometheus-address=localhost", "t"), ConfigError);
}

}  // namespace
}  // namespace turnd::config

// Every error message of the config loader, with its exact text.
#include <gtest/gtest.h>

#include <string>

#include "config_test_util.h"
#include "turnd/config/config.h"

namespace turnd::config {
namespace {

using test_util::parse_error;

TEST(ConfigErrors, LineSyntax) {
  EXPECT_EQ(parse_error("realm=a\nrealm=b\x01\n"), "turnd.conf:2: control character in line");
  EXPECT_EQ(parse_error(std::string("realm=a\0b", 9)), "turnd.conf:1: control character in line");
  EXPECT_EQ(parse_error("=5"), "turnd.conf:1: missing key before '='");
  EXPECT_EQ(parse_error("listening-port 3478"),
            "turnd.conf:1: expected key=value or a bare flag, got 'listening-port 3478'");
  EXPECT_EQ(parse_error("listening port=3478"),
            "turnd.conf:1: expected key=value or a bare flag, got 'listening port=3478'");
  EXPECT_EQ(parse_error("realm=\"abc"), "turnd.conf:1: unterminated quote");
  EXPECT_EQ(parse_error("realm=\"a\" b"), "turnd.conf:1: unexpected text after closing quote");
}

TEST(ConfigErrors, UnknownKeys) {
  EXPECT_EQ(parse_error("# header\n\nlistenin-port=3478"),
            "turnd.conf:3: unknown key 'listenin-port' (did you mean 'listening-port'?)");
  EXPECT_EQ(parse_error("relms=a"), "turnd.conf:1: unknown key 'relms' (did you mean 'realm'?)");
  EXPECT_EQ(parse_error("no-cl"), "turnd.conf:1: unknown key 'no-cl' (did you mean 'no-cli'?)");
  EXPECT_EQ(parse_error("foo-bar=1"), "turnd.conf:1: unknown key 'foo-bar'");
  EXPECT_EQ(parse_error("Verbose"),
            "turnd.conf:1: unknown key 'Verbose' (did you mean 'verbose'?)");
}

TEST(ConfigErrors, RejectedCoturnKey) {
  EXPECT_EQ(parse_error("no-tlsv1_2"),
            "turnd.conf:1: no-tlsv1_2: turnd needs TLS 1.2 (it offers TLS 1.2 and 1.3 only)");
  EXPECT_EQ(parse_error("userdb=/var/db/turndb"),
            "turnd.conf:1: userdb: turnd has no user database; use user= or use-auth-secret");
  EXPECT_EQ(parse_error("oauth"),
            "turnd.conf:1: oauth: turnd does not implement third-party authorization (RFC 7635)");
}

TEST(ConfigErrors, MissingValue) {
  EXPECT_EQ(parse_error("realm="), "turnd.conf:1: realm: missing value");
  EXPECT_EQ(parse_error("listening-port"), "turnd.conf:1: listening-port: missing value");
  EXPECT_EQ(parse_error("user=  # nobody"), "turnd.conf:1: user: missing value");
}

TEST(ConfigErrors, Booleans) {
  EXPECT_EQ(parse_error("verbose=maybe"),
            "turnd.conf:1: verbose: 'maybe' is not a boolean (true/false, 1/0, yes/no, on/off)");
}

TEST(ConfigErrors, Ports) {
  EXPECT_EQ(parse_error("realm=a\nlt-cred-mech\nmin-port=70000"),
            "turnd.conf:3: min-port: '70000' is not a port number (1-65535)");
  for (const char* bad : {"0", "-1", "+1", "12ab", "0x10", "3478.0", "99999999999999999999"}) {
    EXPECT_EQ(
        parse_error(std::string("listening-port=") + bad),
        std::string("turnd.conf:1: listening-port: '") + bad + "' is not a port number (1-65535)");
  }
  EXPECT_EQ(parse_error("tls-listening-port=x"),
            "turnd.conf:1: tls-listening-port: 'x' is not a port number (1-65535)");
  EXPECT_EQ(parse_error("max-port=65536"),
            "turnd.conf:1: max-port: '65536' is not a port number (1-65535)");
}

TEST(ConfigErrors, Numbers) {
  for (const char* key :
       {"user-quota", "total-quota", "max-bps", "max-allocate-lifetime",
        "default-allocate-lifetime", "channel-lifetime", "permission-lifetime", "relay-threads"}) {
    for (const char* bad : {"-1", "4294967296", "10x", "+5", "1 2"}) {
      EXPECT_EQ(
          parse_error(std::string(key) + "=" + bad),
          "turnd.conf:1: " + std::string(key) + ": '" + bad + "' is not a number (0-4294967295)");
    }
  }
  EXPECT_EQ(parse_error("stale-nonce=0"),
            "turnd.conf:1: stale-nonce: '0' is not a number (1-4294967295)");
}

TEST(ConfigErrors, Separator) {
  EXPECT_EQ(parse_error("rest-api-separator=ab"),
            "turnd.conf:1: rest-api-separator: expected a single character, got 'ab'");
}

TEST(ConfigErrors, IpAddresses) {
  EXPECT_EQ(parse_error("\n\n\n\n\n\n\nlistening-ip=foo"),
            "turnd.conf:8: listening-ip: 'foo' is not an IP address");
  EXPECT_EQ(parse_error("listening-ip=192.0.2.1:3478"),
            "turnd.conf:1: listening-ip: '192.0.2.1:3478' is not an IP address");
  EXPECT_EQ(parse_error("listening-ip=[::1]"),
            "turnd.conf:1: listening-ip: '[::1]' is not an IP address");
  EXPECT_EQ(parse_error("relay-ip=turn.example.org"),
            "turnd.conf:1: relay-ip: 'turn.example.org' is not an IP address");
  EXPECT_EQ(parse_error("external-ip=1.2.3.4/foo"),
            "turnd.conf:1: external-ip: 'foo' is not an IP address");
  EXPECT_EQ(parse_error("external-ip=/1.2.3.4"),
            "turnd.conf:1: external-ip: '' is not an IP address");
  EXPECT_EQ(parse_error("external-ip=1.2.3.4/::1"),
            "turnd.conf:1: external-ip: '1.2.3.4/::1' mixes IPv4 and IPv6");
}

TEST(ConfigErrors, IpRanges) {
  const std::string kForms =
      " is not an IP address or range (ADDRESS, ADDRESS/PREFIX or FIRST-LAST)";
  EXPECT_EQ(parse_error("denied-peer-ip=10.0.0.0/33"),
            "turnd.conf:1: denied-peer-ip: '10.0.0.0/33'" + kForms);
  EXPECT_EQ(parse_error("allowed-peer-ip=10.0.0.9-10.0.0.1"),
            "turnd.conf:1: allowed-peer-ip: '10.0.0.9-10.0.0.1'" + kForms);
}

TEST(ConfigErrors, Users) {
  const std::string kSyntax = ": user: expected name:password or name:0x<32 hex digits>";
  EXPECT_EQ(parse_error("realm=r\nlt-cred-mech\n\n\n\n\n\n\nuser=nopassword"),
            "turnd.conf:9" + kSyntax);
  EXPECT_EQ(parse_error("user=:password"), "turnd.conf:1" + kSyntax);
  EXPECT_EQ(parse_error("user=name:"), "turnd.conf:1" + kSyntax);
  EXPECT_EQ(parse_error("user=name:0x" + std::string(31, '0') + "g"), "turnd.conf:1" + kSyntax);
  EXPECT_EQ(parse_error("user=a:1\nuser=a:2"), "turnd.conf:2: user: 'a' is defined twice");
}

TEST(ConfigErrors, Ranges) {
  EXPECT_EQ(parse_error("min-port=50000\nmax-port=40000"),
            "turnd.conf: min-port (50000) is greater than max-port (40000)");
  EXPECT_EQ(parse_error("relay-threads=257"), "turnd.conf: relay-threads: 257 is more than 256");
}

TEST(ConfigErrors, Authentication) {
  EXPECT_EQ(parse_error("realm=r\nuser=a:b"), "turnd.conf: user= needs lt-cred-mech");
  EXPECT_EQ(parse_error("realm=r\nuse-auth-secret\nuser=a:b"),
            "turnd.conf: user= needs lt-cred-mech");
  EXPECT_EQ(parse_error("realm=r\nuse-auth-secret"),
            "turnd.conf: use-auth-secret needs at least one static-auth-secret");
  EXPECT_EQ(parse_error("lt-cred-mech"), "turnd.conf: lt-cred-mech needs a realm");
  EXPECT_EQ(parse_error("use-auth-secret\nstatic-auth-secret=s"),
            "turnd.conf: use-auth-secret needs a realm");
}

TEST(ConfigErrors, Tls) {
  EXPECT_EQ(parse_error("cert=/c.pem"), "turnd.conf: cert= needs pkey=");
  EXPECT_EQ(parse_error("pkey=/k.pem"), "turnd.conf: pkey= needs cert=");
  EXPECT_EQ(parse_error("no-tls\ncert=/c.pem"), "no error");  // TLS off: not checked
}

TEST(ConfigErrors, NoListeners) {
  EXPECT_EQ(parse_error("no-udp\nno-tcp\nno-tls"),
            "turnd.conf: no listeners: no-udp, no-tcp and no-tls are all set");
  EXPECT_EQ(parse_error("no-udp\nno-tcp"),
            "turnd.conf: no listeners: no-udp and no-tcp are set and TLS has no cert=/pkey=");
  EXPECT_EQ(parse_error("no-udp\nno-tcp\ncert=/c.pem\npkey=/k.pem"), "no error");
}

TEST(ConfigErrors, Lifetimes) {
  for (const char* key : {"max-allocate-lifetime", "default-allocate-lifetime", "channel-lifetime",
                          "permission-lifetime"}) {
    EXPECT_EQ(parse_error(std::string(key) + "=0"),
              "turnd.conf: " + std::string(key) + " must be greater than 0");
  }
}

TEST(ConfigErrors, FinalizeUsesItsWhere) {
  Config c;
  c.min_port = 2;
  c.max_port = 1;
  try {
    finalize(c, "command line");
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(), "command line: min-port (2) is greater than max-port (1)");
  }
}

TEST(ConfigErrors, FailedFinalizeStillWipesPasswords) {
  Config c;
  apply(c, "user", "a:secret", "command line");
  ASSERT_EQ(c.pending_passwords.size(), 1u);
  EXPECT_THROW(finalize(c, "command line"), ConfigError);  // no lt-cred-mech
  EXPECT_TRUE(c.pending_passwords.empty());
}

TEST(ConfigWarnings, SecretWithoutUseAuthSecret) {
  Config c = parse_text("realm=r\nlt-cred-mech\nstatic-auth-secret=s\n", "turnd.conf");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_EQ(c.warnings[0], "turnd.conf: static-auth-secret is ignored without use-auth-secret");
}

}  // namespace
}  // namespace turnd::config

// The keys of the port-443 work (docs/ADMIN.md "Port 443 only", "Behind a
// load balancer"): a web port shared with TURN over TLS, the PROXY protocol.
#include <gtest/gtest.h>

#include "config_test_util.h"
#include "turnd/config/config.h"

namespace turnd::config {
namespace {

using test_util::parse_error;

constexpr const char* kTls = "cert=/c.pem\npkey=/k.pem\n";

Config parse(std::string_view text) {
  return parse_text(text, "turnd.conf");
}

TEST(ConfigFrontDoor, TheWebSharesTheTlsPortWhenBothAreEqual) {
  EXPECT_FALSE(web_shares_tls_port(parse(kTls)));  // 8443 and 5349
  EXPECT_TRUE(web_shares_tls_port(parse(std::string(kTls) + "web-port=5349")));
  EXPECT_TRUE(
      web_shares_tls_port(parse(std::string(kTls) + "web-port=443\ntls-listening-port=443\n")));
  EXPECT_FALSE(web_shares_tls_port(parse("web-port=5349")));  // no TLS without a cert
  EXPECT_FALSE(web_shares_tls_port(parse(std::string(kTls) + "web-port=5349\nno-tls")));
}

TEST(ConfigFrontDoor, TheWebAddressMustBeOneTurnListensOn) {
  std::string base = std::string(kTls) + "web-port=443\ntls-listening-port=443\n";
  EXPECT_TRUE(web_shares_tls_port(parse(base + "listening-ip=192.0.2.10\n")));
  EXPECT_TRUE(web_shares_tls_port(parse(base + "listening-ip=192.0.2.10\nlistening-ip=192.0.2.11\n"
                                               "web-address=192.0.2.11\n")));
  EXPECT_FALSE(
      web_shares_tls_port(parse(base + "listening-ip=192.0.2.10\nweb-address=192.0.2.12\n")));
  EXPECT_TRUE(web_shares_tls_port(parse(base + "web-address=0.0.0.0\n")));
  EXPECT_FALSE(web_shares_tls_port(parse(base + "web-address=192.0.2.12\n")));
  EXPECT_EQ(web_listen_address(parse(base + "listening-ip=192.0.2.10\n")),
            *SocketAddress::parse("192.0.2.10:443"));
}

TEST(ConfigFrontDoor, ProxyProtocolNamesListenersAndSources) {
  Config c = parse(
      "proxy-protocol=tcp, web\nproxy-protocol=tls\nproxy-protocol-from=10.0.0.0/8\n"
      "proxy-protocol-from=192.0.2.5\n");
  EXPECT_TRUE(c.proxy_protocol_tcp);
  EXPECT_TRUE(c.proxy_protocol_tls);
  EXPECT_TRUE(c.proxy_protocol_web);
  ASSERT_EQ(c.proxy_protocol_from.size(), 2u);
  EXPECT_TRUE(c.proxy_protocol_from[0].contains(*SocketAddress::parse("10.1.2.3")));
  EXPECT_TRUE(web_accepted_by_workers(c));
  EXPECT_FALSE(web_accepted_by_workers(parse("")));
}

TEST(ConfigFrontDoor, ProxyProtocolErrors) {
  EXPECT_EQ(parse_error("proxy-protocol=udp\nproxy-protocol-from=10.0.0.1"),
            "turnd.conf:1: proxy-protocol: 'udp' is not a listener: tcp, tls or web");
  EXPECT_EQ(parse_error("proxy-protocol=tls"),
            "turnd.conf: proxy-protocol needs proxy-protocol-from (the load balancer's "
            "addresses): otherwise anyone could claim any client address");
  EXPECT_EQ(parse_error(std::string(kTls) +
                        "web-port=5349\nproxy-protocol=tls\nproxy-protocol-from=10.0.0.1\n"),
            "turnd.conf: web-port is tls-listening-port, one listener: proxy-protocol must name "
            "both tls and web, or neither");
  Config c = parse("proxy-protocol-from=10.0.0.1");
  ASSERT_EQ(c.warnings.size(), 2u);  // and "no authentication"
  EXPECT_EQ(c.warnings[1], "turnd.conf: proxy-protocol-from is ignored without proxy-protocol");
}

}  // namespace
}  // namespace turnd::config

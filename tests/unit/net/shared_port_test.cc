// Where a connection on the port shared by the web and TURN goes
// (turnd/net/shared_port.h).
#include "turnd/net/shared_port.h"

#include <gtest/gtest.h>

#include <string>

namespace turnd::net {
namespace {

// ALPN lists as on the wire (each name behind its length).
const std::string kBrowserAlpn = std::string("\x02h2\x08http/1.1", 12);
const std::string kStunTurn = std::string("\x09stun.turn", 10);
const std::string kWebRtc = std::string("\x08c-webrtc\x06webrtc", 16);

ClientHello hello(std::string_view name, const std::string* alpn) {
  ClientHello h;
  h.server_name = name;
  if (alpn != nullptr) {
    h.has_alpn = true;
    h.alpn_list = as_bytes(*alpn);
  }
  return h;
}

TEST(RouteHello, BrowsersHttpsGoesToTheWeb) {
  EXPECT_EQ(route_hello(hello("meet.example.org", &kBrowserAlpn), {}), HelloRoute::kWeb);
  EXPECT_EQ(route_hello(hello("", &kBrowserAlpn), {}), HelloRoute::kWeb);
}

TEST(RouteHello, NoAlpnIsDecidedAfterTheHandshake) {
  EXPECT_EQ(route_hello(hello("", nullptr), {}), HelloRoute::kAfterHandshake);
  EXPECT_EQ(route_hello(hello("meet.example.org", nullptr), {}), HelloRoute::kAfterHandshake);
}

TEST(RouteHello, OtherAlpnIsDecidedAfterTheHandshake) {
  // Firefox's TURN over TLS through an HTTP proxy (RFC 8833 names).
  EXPECT_EQ(route_hello(hello("meet.example.org", &kWebRtc), {}), HelloRoute::kAfterHandshake);
}

TEST(RouteHello, StunTurnAlpnIsTurn) {
  EXPECT_EQ(route_hello(hello("", &kStunTurn), {}), HelloRoute::kTurn);
}

TEST(RouteHello, TwoNamesRouteBySni) {
  SharedPortNames names{"meet.example.org", "turn.example.org"};
  EXPECT_EQ(route_hello(hello("TURN.example.org", &kBrowserAlpn), names), HelloRoute::kTurn);
  EXPECT_EQ(route_hello(hello("meet.example.org", nullptr), names), HelloRoute::kWeb);
  EXPECT_EQ(route_hello(hello("other.example.org", nullptr), names), HelloRoute::kAfterHandshake);
}

TEST(RouteHello, OneNameForBothDoesNotRoute) {
  SharedPortNames same{"meet.example.org", "Meet.example.org"};
  EXPECT_EQ(route_hello(hello("meet.example.org", &kBrowserAlpn), same), HelloRoute::kWeb);
  EXPECT_EQ(route_hello(hello("meet.example.org", nullptr), same), HelloRoute::kAfterHandshake);
  SharedPortNames only_turn{"", "turn.example.org"};
  EXPECT_EQ(route_hello(hello("turn.example.org", &kBrowserAlpn), only_turn), HelloRoute::kWeb);
}

FirstBytes classify(std::string_view text) {
  return classify_first_bytes(as_bytes(text));
}

TEST(ClassifyFirstBytes, StunIsTurn) {
  const std::string binding("\x00\x01\x00\x00\x21\x12\xA4\x42", 8);
  const std::string wrong_cookie("\x00\x01\x00\x00\x21\x12\xA4\x43", 8);
  EXPECT_EQ(classify(binding), FirstBytes::kTurn);
  EXPECT_EQ(classify(wrong_cookie), FirstBytes::kOther);
  EXPECT_EQ(classify(binding.substr(0, 7)), FirstBytes::kNeedMore);
}

TEST(ClassifyFirstBytes, HttpRequestLines) {
  EXPECT_EQ(classify("GET / HTTP/1.1\r\n"), FirstBytes::kHttp);
  EXPECT_EQ(classify("OPTIONS "), FirstBytes::kHttp);
  EXPECT_EQ(classify("GE"), FirstBytes::kNeedMore);
  EXPECT_EQ(classify("get / HTTP/1.1"), FirstBytes::kOther);
  EXPECT_EQ(classify(" GET / HTTP/1.1"), FirstBytes::kOther);
  EXPECT_EQ(classify("ABCDEFGHIJKLMNOPQRSTUVWXYZ "), FirstBytes::kOther);  // no such method
}

TEST(ClassifyFirstBytes, ChannelDataCannotComeFirst) {
  const std::string channel(
      "\x40\x00\x00\x04"
      "abcd",
      8);
  EXPECT_EQ(classify(channel), FirstBytes::kOther);
  EXPECT_EQ(classify(""), FirstBytes::kNeedMore);
}

}  // namespace
}  // namespace turnd::net

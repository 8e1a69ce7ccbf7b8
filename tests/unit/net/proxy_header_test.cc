// The PROXY protocol header (turnd/net/proxy_header.h), with the examples of
// HAProxy's specification and the headers haproxy 2.6 sends.
#include "turnd/net/proxy_header.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace turnd::net {
namespace {

ProxyStatus parse(const std::string& text, ProxyHeader& header) {
  return parse_proxy_header(as_bytes(text), header);
}

const std::string kV2Signature("\r\n\r\n\0\r\nQUIT\n", 12);

std::string v2(uint8_t command, uint8_t family, const std::string& body) {
  std::string h = kV2Signature;
  h += static_cast<char>(0x20 | command);
  h += static_cast<char>(family);
  h += static_cast<char>(body.size() >> 8);
  h += static_cast<char>(body.size() & 0xFF);
  return h + body;
}

TEST(ProxyHeader, Version1Tcp4) {
  ProxyHeader h;
  std::string line = "PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\n";
  ASSERT_EQ(parse(line + "\x16\x03\x01", h), ProxyStatus::kComplete);
  EXPECT_EQ(h.length, line.size());
  EXPECT_EQ(h.source, *SocketAddress::parse("192.0.2.1:56324"));
  EXPECT_EQ(h.destination, *SocketAddress::parse("198.51.100.1:443"));
}

TEST(ProxyHeader, Version1Tcp6) {
  ProxyHeader h;
  ASSERT_EQ(parse("PROXY TCP6 2001:db8::1 2001:db8::2 65535 443\r\n", h), ProxyStatus::kComplete);
  EXPECT_EQ(h.source, *SocketAddress::parse("[2001:db8::1]:65535"));
}

TEST(ProxyHeader, Version1UnknownKeepsTheConnectionsAddress) {
  ProxyHeader h;
  ASSERT_EQ(parse("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n", h), ProxyStatus::kComplete);
  EXPECT_TRUE(h.source.empty());
  EXPECT_EQ(h.length, 35u);
}

TEST(ProxyHeader, Version1NeedsItsLineEnd) {
  ProxyHeader h;
  std::string line = "PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\n";
  for (size_t n = 0; n < line.size(); ++n) {
    EXPECT_EQ(parse(line.substr(0, n), h), ProxyStatus::kNeedMore) << n;
  }
  EXPECT_EQ(parse("PROXY TCP4 " + std::string(100, '1'), h), ProxyStatus::kInvalid);  // > 107
}

TEST(ProxyHeader, Version1Malformed) {
  ProxyHeader h;
  for (const char* bad : {
           "PROXY TCP4 192.0.2.1 198.51.100.1 56324\r\n",        // a port missing
           "PROXY TCP4 192.0.2.1 198.51.100.1 56324 443 1\r\n",  // one field too many
           "PROXY TCP4 2001:db8::1 198.51.100.1 1 2\r\n",        // not the family named
           "PROXY TCP6 192.0.2.1 2001:db8::2 1 2\r\n",
           "PROXY TCP4 192.0.2.1:80 198.51.100.1 1 2\r\n",     // a port in the address
           "PROXY TCP4 192.0.2.1 198.51.100.1 65536 443\r\n",  // port out of range
           "PROXY TCP4 192.0.2.1 198.51.100.1 080 443\r\n",    // leading zero
           "PROXY TCP4 192.0.2.1 198.51.100.1 -1 443\r\n",
           "PROXY UDP4 192.0.2.1 198.51.100.1 1 2\r\n",
           "PROXY  TCP4 192.0.2.1 198.51.100.1 1 2\r\n",
           "PROXY\r\n",
           "GET / HTTP/1.1\r\n",
       }) {
    EXPECT_EQ(parse(bad, h), ProxyStatus::kInvalid) << bad;
    EXPECT_TRUE(h.source.empty()) << bad;
  }
}

TEST(ProxyHeader, Version2Tcp4WithTlvs) {
  std::string body(
      "\xC0\x00\x02\x01"
      "\xC6\x33\x64\x01"
      "\xDC\x04"
      "\x01\xBB",
      12);
  body += std::string("\x04\x00\x01\x00", 4);  // PP2_TYPE_NOOP, one byte: ignored
  ProxyHeader h;
  std::string header = v2(1, 0x11, body);
  ASSERT_EQ(parse(header + "rest", h), ProxyStatus::kComplete);
  EXPECT_EQ(h.length, header.size());
  EXPECT_EQ(h.source, *SocketAddress::parse("192.0.2.1:56324"));
  EXPECT_EQ(h.destination, *SocketAddress::parse("198.51.100.1:443"));
}

TEST(ProxyHeader, Version2Tcp6) {
  std::string body(36, '\0');
  body[0] = '\x20';
  body[1] = '\x01';
  body[2] = '\x0d';
  body[3] = '\xb8';
  body[15] = '\x01';
  body[32] = '\x30';
  body[33] = '\x39';
  ProxyHeader h;
  ASSERT_EQ(parse(v2(1, 0x21, body), h), ProxyStatus::kComplete);
  EXPECT_EQ(h.source, *SocketAddress::parse("[2001:db8::1]:12345"));
}

TEST(ProxyHeader, Version2LocalIsTheProxyItself) {
  ProxyHeader h;
  ASSERT_EQ(parse(v2(0, 0x00, ""), h), ProxyStatus::kComplete);
  EXPECT_EQ(h.length, 16u);
  EXPECT_TRUE(h.source.empty());
}

TEST(ProxyHeader, Version2Malformed) {
  ProxyHeader h;
  std::string v4(12, '\x01');
  EXPECT_EQ(parse(v2(1, 0x11, v4.substr(0, 11)), h), ProxyStatus::kInvalid);  // too short
  EXPECT_EQ(parse(v2(1, 0x12, v4), h), ProxyStatus::kInvalid);                // UDP
  EXPECT_EQ(parse(v2(1, 0x31, v4), h), ProxyStatus::kInvalid);                // Unix socket
  EXPECT_EQ(parse(v2(2, 0x11, v4), h), ProxyStatus::kInvalid);                // no such command
  std::string version3 = v2(1, 0x11, v4);
  version3[12] = '\x31';
  EXPECT_EQ(parse(version3, h), ProxyStatus::kInvalid);
  EXPECT_EQ(parse(v2(1, 0x11, std::string(2000, '\0')), h), ProxyStatus::kInvalid);  // too long
}

TEST(ProxyHeader, Version2NeedsItsWholeLength) {
  std::string header = v2(1, 0x11, std::string(12, '\x01'));
  ProxyHeader h;
  for (size_t n = 0; n < header.size(); ++n) {
    EXPECT_EQ(parse(header.substr(0, n), h), ProxyStatus::kNeedMore) << n;
  }
}

TEST(ProxyHeader, AnythingElseIsNotAHeader) {
  ProxyHeader h;
  EXPECT_EQ(parse("\x16\x03\x01\x02\x00", h), ProxyStatus::kInvalid);  // a TLS ClientHello
  EXPECT_EQ(parse("PROXZ", h), ProxyStatus::kInvalid);
  EXPECT_EQ(parse("\r\n\r\nX", h), ProxyStatus::kInvalid);
}

}  // namespace
}  // namespace turnd::net

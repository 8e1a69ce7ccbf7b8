// a=candidate values (RFC 8839 §5.1, RFC 6544 tcptype) parsed and written.
#include "sfu/sdp/candidate.h"

#include <gtest/gtest.h>

namespace turnd::sfu::sdp {
namespace {

Candidate parsed(std::string_view text) {
  std::string error;
  auto c = parse_candidate(text, error);
  EXPECT_TRUE(c) << text << ": " << error;
  return c.value_or(Candidate{});
}

TEST(Candidate, ParsesChromiumHostCandidates) {
  Candidate udp = parsed(
      "candidate:4128008760 1 udp 2122194687 192.0.2.2 39397 typ host generation 0 network-id 1");
  EXPECT_EQ(udp.foundation, "4128008760");
  EXPECT_EQ(udp.component, 1);
  EXPECT_EQ(udp.transport, "udp");
  EXPECT_EQ(udp.priority, 2122194687u);
  EXPECT_EQ(udp.address, "192.0.2.2");
  EXPECT_EQ(udp.port, 39397);
  EXPECT_EQ(udp.type, "host");
  EXPECT_EQ(udp.extensions.size(), 2u);

  Candidate tcp =
      parsed("3284172620 1 TCP 1518285567 fd00::2 9 typ host tcptype active generation 0");
  EXPECT_EQ(tcp.transport, "tcp");  // lower-cased
  EXPECT_EQ(tcp.address, "fd00::2");
  EXPECT_EQ(tcp.tcptype, "active");
  EXPECT_EQ(tcp.extensions,
            (std::vector<std::pair<std::string, std::string>>{{"generation", "0"}}));
}

TEST(Candidate, ParsesRelatedAddressAndMdns) {
  Candidate srflx = parsed(
      "842163049 1 udp 1677729535 198.51.100.7 61234 typ srflx raddr 10.0.0.5 rport 50000 "
      "generation 0 ufrag Dx4r network-cost 999");
  EXPECT_EQ(srflx.type, "srflx");
  EXPECT_EQ(srflx.related_address, "10.0.0.5");
  EXPECT_EQ(srflx.related_port, 50000);
  EXPECT_EQ(srflx.extensions.size(), 3u);

  Candidate mdns =
      parsed("1 1 udp 2113937151 7f3e0b2c-1c38-4f45-9c1c-6a2f2f0f9e12.local 54321 typ host");
  EXPECT_EQ(mdns.address, "7f3e0b2c-1c38-4f45-9c1c-6a2f2f0f9e12.local");
}

TEST(Candidate, RoundTrips) {
  for (const char* text : {"1 1 udp 2130706431 192.0.2.10 40000 typ host",
                           "2 1 tcp 1520435199 192.0.2.10 443 typ host tcptype passive",
                           "842163049 1 udp 1677729535 198.51.100.7 61234 typ srflx raddr 10.0.0.5 "
                           "rport 50000 generation 0",
                           "a+b/c 2 udp 1 2001:db8::1 1 typ relay raddr 0.0.0.0 rport 0"}) {
    Candidate c = parsed(text);
    EXPECT_EQ(c.to_string(), text);
    EXPECT_EQ(parsed(c.to_string()), c);
  }
}

TEST(Candidate, RejectsMalformed) {
  for (const char* text :
       {"", "1 1 udp 100 192.0.2.1 5000", "1 1 udp 100 192.0.2.1 5000 type host",
        "1 0 udp 100 192.0.2.1 5000 typ host", "1 257 udp 100 192.0.2.1 5000 typ host",
        "1 1 udp -5 192.0.2.1 5000 typ host", "1 1 udp 4294967296 192.0.2.1 5000 typ host",
        "1 1 udp 100 192.0.2.1 65536 typ host", "f*o 1 udp 100 192.0.2.1 5000 typ host",
        "1 1 udp 100 192.0.2.1 5000 typ srflx raddr 10.0.0.1 rport x",
        "1 1 udp 100 192.0.2.1 5000 typ host generation"}) {
    std::string error;
    EXPECT_FALSE(parse_candidate(text, error)) << text;
    EXPECT_FALSE(error.empty()) << text;
  }
}

TEST(Candidate, SfuHostCandidates) {
  Candidate udp = host_udp_candidate("1", "192.0.2.10", 40000);
  EXPECT_EQ(udp.to_string(), "1 1 udp 2130706431 192.0.2.10 40000 typ host");
  Candidate tcp = host_tcp_passive_candidate("2", "2001:db8::10", 443);
  EXPECT_EQ(tcp.to_string(), "2 1 tcp 1520435199 2001:db8::10 443 typ host tcptype passive");
  EXPECT_GT(udp.priority, tcp.priority);  // UDP preferred when both work
  EXPECT_EQ(candidate_priority(126, 65535, 1), 2130706431u);
}

}  // namespace
}  // namespace turnd::sfu::sdp

// ICE candidates as carried by a=candidate (RFC 8839 §5.1, RFC 6544 §4.5 for
// TCP's tcptype): parsed into a struct and written back. The SFU offers host
// candidates only: UDP, and passive TCP for clients behind UDP-blocking
// firewalls (ICE-lite, RFC 8445 §2.5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace turnd::sfu::sdp {

struct Candidate {
  std::string foundation;
  uint16_t component = 1;  // 1 = RTP (and RTCP, with rtcp-mux)
  std::string transport;   // "udp" or "tcp", lower case
  uint32_t priority = 0;
  std::string address;  // IP address or an mDNS name
  uint16_t port = 0;
  std::string type;                      // "host", "srflx", "prflx", "relay"
  std::string related_address;           // raddr, may be empty
  std::optional<uint16_t> related_port;  // rport
  std::string tcptype;                   // "active", "passive", "so"; empty for UDP
  // Other extension attributes in order ("generation 0", "network-id 1"...).
  std::vector<std::pair<std::string, std::string>> extensions;

  // The attribute value, without "candidate:": "1 1 udp 2130706431 ...".
  std::string to_string() const;
  bool operator==(const Candidate&) const = default;
};

// Parses an a=candidate value (with or without the "candidate:" prefix);
// nullopt with `error` set when it does not follow the grammar.
std::optional<Candidate> parse_candidate(std::string_view text, std::string& error);

// RFC 8445 §5.1.2.1: (2^24) type preference + (2^8) local preference + (256 - component).
constexpr uint32_t candidate_priority(uint32_t type_preference, uint32_t local_preference,
                                      uint32_t component) noexcept {
  return (type_preference << 24) + (local_preference << 8) + (256 - component);
}

// A host candidate of the SFU: UDP, or passive TCP (RFC 6544) whose type
// preference is lower so that browsers prefer UDP when both work.
Candidate host_udp_candidate(std::string foundation, std::string address, uint16_t port);
Candidate host_tcp_passive_candidate(std::string foundation, std::string address, uint16_t port);

}  // namespace turnd::sfu::sdp

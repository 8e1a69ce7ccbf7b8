#include "turnd/net/proxy_header.h"

#include <cstring>
#include <string>

namespace turnd::net {
namespace {

constexpr size_t kV1Max = 107;  // spec §2.1, CRLF included
constexpr std::byte kV2Signature[12] = {std::byte{0x0D}, std::byte{0x0A}, std::byte{0x0D},
                                        std::byte{0x0A}, std::byte{0x00}, std::byte{0x0D},
                                        std::byte{0x0A}, std::byte{0x51}, std::byte{0x55},
                                        std::byte{0x49}, std::byte{0x54}, std::byte{0x0A}};
constexpr size_t kV2Fixed = 16;

// Whether `head` could still become `prefix` (or starts with it).
bool agrees(Bytes head, Bytes prefix) noexcept {
  size_t n = std::min(head.size(), prefix.size());
  return std::memcmp(head.data(), prefix.data(), n) == 0;
}

// Splits off the next space-separated field.
std::string_view field(std::string_view& rest) noexcept {
  size_t space = rest.find(' ');
  std::string_view f = rest.substr(0, space);
  rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  return f;
}

bool port_of(std::string_view text, uint16_t& port) noexcept {
  if (text.empty() || text.size() > 5 || (text.size() > 1 && text[0] == '0')) return false;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return false;
  port = static_cast<uint16_t>(value);
  return true;
}

bool address_of(std::string_view text, Family family, uint16_t port, SocketAddress& out) noexcept {
  // Only a bare address: no brackets, no port, of the family the line names.
  if (text.empty() || text.find_first_of("[]%") != std::string_view::npos) return false;
  if (family == Family::kIPv4 && text.find(':') != std::string_view::npos) return false;
  auto parsed = SocketAddress::parse(text);
  if (!parsed || parsed->family() != family) return false;
  out = parsed->with_port(port);
  return true;
}

ProxyStatus parse_v1(Bytes head, ProxyHeader& header) noexcept {
  std::string_view text = as_string(head.first(std::min(head.size(), kV1Max)));
  size_t end = text.find("\r\n");
  if (end == std::string_view::npos) {
    return head.size() >= kV1Max ? ProxyStatus::kInvalid : ProxyStatus::kNeedMore;
  }
  std::string_view rest = text.substr(6, end - 6);  // after "PROXY "
  header.length = end + 2;
  std::string_view protocol = field(rest);
  if (protocol == "UNKNOWN") return ProxyStatus::kComplete;  // the rest is to be ignored
  Family family = protocol == "TCP4"   ? Family::kIPv4
                  : protocol == "TCP6" ? Family::kIPv6
                                       : Family::kNone;
  if (family == Family::kNone) return ProxyStatus::kInvalid;
  std::string_view source = field(rest), destination = field(rest);
  std::string_view source_port = field(rest), destination_port = field(rest);
  uint16_t sport = 0, dport = 0;
  if (!rest.empty() || !port_of(source_port, sport) || !port_of(destination_port, dport) ||
      !address_of(source, family, sport, header.source) ||
      !address_of(destination, family, dport, header.destination)) {
    header = ProxyHeader{};
    return ProxyStatus::kInvalid;
  }
  return ProxyStatus::kComplete;
}

// v2 addresses: source and destination of `size` bytes each, then their ports.
bool read_v2_addresses(Bytes body, size_t size, ProxyHeader& header) noexcept {
  if (body.size() < 2 * size + 4) return false;
  const std::byte* ports = body.data() + 2 * size;
  header.source = SocketAddress::from_bytes(body.first(size), load_be16(ports));
  header.destination = SocketAddress::from_bytes(body.subspan(size, size), load_be16(ports + 2));
  return true;
}

ProxyStatus parse_v2(Bytes head, ProxyHeader& header) noexcept {
  if (head.size() < kV2Fixed) return ProxyStatus::kNeedMore;
  auto version_command = static_cast<uint8_t>(head[12]);
  auto family_protocol = static_cast<uint8_t>(head[13]);
  size_t length = load_be16(head.data() + 14);
  if ((version_command >> 4) != 2) return ProxyStatus::kInvalid;
  unsigned command = version_command & 0x0F;
  if (command > 1 || kV2Fixed + length > kMaxProxyHeader) return ProxyStatus::kInvalid;
  if (head.size() < kV2Fixed + length) return ProxyStatus::kNeedMore;
  header.length = kV2Fixed + length;
  if (command == 0) return ProxyStatus::kComplete;  // LOCAL: the proxy itself
  Bytes body = head.subspan(kV2Fixed, length);
  switch (family_protocol) {
    case 0x11:  // TCP over IPv4
      if (read_v2_addresses(body, 4, header)) return ProxyStatus::kComplete;
      break;
    case 0x21:  // TCP over IPv6
      if (read_v2_addresses(body, 16, header)) return ProxyStatus::kComplete;
      break;
    case 0x00:  // UNSPEC: addresses to be ignored
      return ProxyStatus::kComplete;
    default:  // UDP or Unix sockets: not what reaches a TCP listener
      break;
  }
  header = ProxyHeader{};
  return ProxyStatus::kInvalid;
}

}  // namespace

ProxyStatus parse_proxy_header(Bytes head, ProxyHeader& header) noexcept {
  header = ProxyHeader{};
  if (head.empty()) return ProxyStatus::kNeedMore;
  static const std::string_view kV1 = "PROXY ";
  if (agrees(head, as_bytes(kV1))) {
    return head.size() < kV1.size() ? ProxyStatus::kNeedMore : parse_v1(head, header);
  }
  if (agrees(head, Bytes(kV2Signature, sizeof(kV2Signature)))) {
    return head.size() < sizeof(kV2Signature) ? ProxyStatus::kNeedMore : parse_v2(head, header);
  }
  return ProxyStatus::kInvalid;
}

}  // namespace turnd::net

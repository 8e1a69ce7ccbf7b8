#include "turnd/common/client_key.h"

#include <algorithm>
#include <cstring>

namespace turnd {

std::span<const std::byte> ipv4_bytes(const SocketAddress& a) noexcept {
  auto ip = a.ip_bytes();
  if (a.is_v4()) return ip;
  static constexpr std::byte kMapped[12] = {
      {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, std::byte{0xff}, std::byte{0xff}};
  if (ip.size() == 16 && std::memcmp(ip.data(), kMapped, 12) == 0) return ip.subspan(12);
  return {};
}

// IPv4 keys carry a marker bit above the 32 address bits; an IPv6 key is the
// masked top 64 bits, where such a value falls in ::/8 (reserved, never a
// client), so the two families never share a key.
ClientKey ClientKey::of(const SocketAddress& a, unsigned v4_bits, unsigned v6_bits) noexcept {
  uint64_t value = 0;
  if (auto v4 = ipv4_bytes(a); !v4.empty()) {
    for (std::byte b : v4) value = value << 8 | static_cast<uint8_t>(b);
    unsigned bits = std::min(v4_bits, 32u);
    uint64_t mask = bits == 0 ? 0 : ~uint64_t{0} << (32 - bits) & 0xFFFFFFFFull;
    return {uint64_t{1} << 32 | (value & mask)};
  }
  auto ip = a.ip_bytes();
  if (ip.size() != 16) return {};
  for (size_t i = 0; i < 8; ++i) value = value << 8 | static_cast<uint8_t>(ip[i]);
  unsigned bits = std::min(v6_bits, 64u);
  return {bits == 0 ? 0 : value & ~uint64_t{0} << (64 - bits)};
}

}  // namespace turnd

#include "turnd/turn/address_class.h"

#include <array>
#include <span>

namespace turnd::turn {
namespace {

// First match wins, so a block must come before any block that contains it.
struct V4Block {
  uint32_t prefix;
  unsigned length;
  AddressClass address_class;
};

constexpr uint32_t v4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

constexpr std::array kV4Blocks{
    V4Block{v4(0, 0, 0, 0), 32, AddressClass::kUnspecified},
    V4Block{v4(0, 0, 0, 0), 8, AddressClass::kThisNetwork},
    V4Block{v4(10, 0, 0, 0), 8, AddressClass::kPrivate},
    V4Block{v4(100, 64, 0, 0), 10, AddressClass::kSharedCgnat},
    V4Block{v4(127, 0, 0, 0), 8, AddressClass::kLoopback},
    V4Block{v4(169, 254, 0, 0), 16, AddressClass::kLinkLocal},
    V4Block{v4(172, 16, 0, 0), 12, AddressClass::kPrivate},
    V4Block{v4(192, 0, 0, 0), 24, AddressClass::kReserved},
    V4Block{v4(192, 0, 2, 0), 24, AddressClass::kDocumentation},
    V4Block{v4(192, 88, 99, 0), 24, AddressClass::kReserved},
    V4Block{v4(192, 168, 0, 0), 16, AddressClass::kPrivate},
    V4Block{v4(198, 18, 0, 0), 15, AddressClass::kBenchmarking},
    V4Block{v4(198, 51, 100, 0), 24, AddressClass::kDocumentation},
    V4Block{v4(203, 0, 113, 0), 24, AddressClass::kDocumentation},
    V4Block{v4(224, 0, 0, 0), 4, AddressClass::kMulticast},
    V4Block{v4(255, 255, 255, 255), 32, AddressClass::kBroadcast},
    V4Block{v4(240, 0, 0, 0), 4, AddressClass::kReserved},
};

// An IPv6 prefix as its high and low 64 bits; first match wins.
struct V6Block {
  uint64_t hi;
  uint64_t lo;
  unsigned length;
  AddressClass address_class;
};

constexpr std::array kV6Blocks{
    V6Block{0x0064'ff9b'0000'0000, 0, 96, AddressClass::kNat64},
    V6Block{0x0064'ff9b'0001'0000, 0, 48, AddressClass::kNat64},
    V6Block{0x0100'0000'0000'0000, 0, 64, AddressClass::kReserved},  // discard-only
    V6Block{0x0100'0000'0000'0001, 0, 64, AddressClass::kReserved},  // dummy prefix
    V6Block{0x2001'0000'0000'0000, 0, 32, AddressClass::kTeredo},
    V6Block{0x2001'0002'0000'0000, 0, 48, AddressClass::kBenchmarking},
    V6Block{0x2001'0003'0000'0000, 0, 32, AddressClass::kPublic},  // AMT
    V6Block{0x2001'0004'0112'0000, 0, 48, AddressClass::kPublic},  // AS112-v6
    V6Block{0x2001'0010'0000'0000, 0, 28, AddressClass::kOrchid},
    V6Block{0x2001'0020'0000'0000, 0, 28, AddressClass::kOrchid},
    V6Block{0x2001'0030'0000'0000, 0, 28, AddressClass::kOrchid},
    V6Block{0x2001'0000'0000'0000, 0, 23, AddressClass::kReserved},
    V6Block{0x2001'0db8'0000'0000, 0, 32, AddressClass::kDocumentation},
    V6Block{0x2002'0000'0000'0000, 0, 16, AddressClass::k6to4},
    V6Block{0x3fff'0000'0000'0000, 0, 20, AddressClass::kDocumentation},
    V6Block{0x2000'0000'0000'0000, 0, 3, AddressClass::kPublic},  // global unicast
    V6Block{0xfc00'0000'0000'0000, 0, 7, AddressClass::kUniqueLocal},
    V6Block{0xfe80'0000'0000'0000, 0, 10, AddressClass::kLinkLocal},
    V6Block{0xfec0'0000'0000'0000, 0, 10, AddressClass::kSiteLocal},
    V6Block{0xff00'0000'0000'0000, 0, 8, AddressClass::kMulticast},
};

constexpr uint64_t high_mask(unsigned length) noexcept {
  return length == 0 ? 0 : ~uint64_t{0} << (64 - length);
}

constexpr uint32_t v4_mask(unsigned length) noexcept {
  return length == 0 ? 0 : ~uint32_t{0} << (32 - length);
}

uint64_t load_be(std::span<const std::byte> bytes) noexcept {
  uint64_t value = 0;
  for (std::byte b : bytes) value = (value << 8) | static_cast<uint8_t>(b);
  return value;
}

AddressClass classify_v4(uint32_t ip) noexcept {
  for (const V4Block& block : kV4Blocks) {
    if ((ip & v4_mask(block.length)) == block.prefix) return block.address_class;
  }
  return AddressClass::kPublic;
}

bool in_block(uint64_t hi, uint64_t lo, const V6Block& block) noexcept {
  if (block.length <= 64) return (hi & high_mask(block.length)) == block.hi;
  return hi == block.hi && (lo & high_mask(block.length - 64)) == block.lo;
}

// IPv4 carried by ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (translated) or
// ::a.b.c.d (compatible); :: and ::1 are IPv6's own and carry nothing.
std::optional<uint32_t> embedded_bits(uint64_t hi, uint64_t lo) noexcept {
  if (hi != 0 || lo <= 1) return std::nullopt;
  const uint64_t top = lo >> 32;
  if (top == 0 || top == 0x0000'ffff || top == 0xffff'0000) return static_cast<uint32_t>(lo);
  return std::nullopt;
}

AddressClass classify_v6(uint64_t hi, uint64_t lo) noexcept {
  if (hi == 0 && lo == 0) return AddressClass::kUnspecified;
  if (hi == 0 && lo == 1) return AddressClass::kLoopback;
  if (auto ip = embedded_bits(hi, lo)) return classify_v4(*ip);
  for (const V6Block& block : kV6Blocks) {
    if (in_block(hi, lo, block)) return block.address_class;
  }
  return AddressClass::kReserved;  // outside 2000::/3 and not claimed above
}

}  // namespace

AddressClass classify(const SocketAddress& address) noexcept {
  auto bytes = address.ip_bytes();
  if (address.is_v4()) return classify_v4(static_cast<uint32_t>(load_be(bytes)));
  if (address.is_v6()) return classify_v6(load_be(bytes.first(8)), load_be(bytes.last(8)));
  return AddressClass::kUnspecified;
}

std::optional<SocketAddress> embedded_ipv4(const SocketAddress& address) noexcept {
  if (!address.is_v6()) return std::nullopt;
  auto bytes = address.ip_bytes();
  if (!embedded_bits(load_be(bytes.first(8)), load_be(bytes.last(8)))) return std::nullopt;
  return SocketAddress::from_bytes(bytes.last(4), address.port());
}

const char* to_string(AddressClass address_class) noexcept {
  switch (address_class) {
    case AddressClass::kPublic:
      return "public";
    case AddressClass::kUnspecified:
      return "unspecified";
    case AddressClass::kThisNetwork:
      return "this_network";
    case AddressClass::kLoopback:
      return "loopback";
    case AddressClass::kPrivate:
      return "private";
    case AddressClass::kSharedCgnat:
      return "shared_cgnat";
    case AddressClass::kLinkLocal:
      return "link_local";
    case AddressClass::kMulticast:
      return "multicast";
    case AddressClass::kBroadcast:
      return "broadcast";
    case AddressClass::kDocumentation:
      return "documentation";
    case AddressClass::kBenchmarking:
      return "benchmarking";
    case AddressClass::kReserved:
      return "reserved";
    case AddressClass::kUniqueLocal:
      return "unique_local";
    case AddressClass::kSiteLocal:
      return "site_local";
    case AddressClass::kNat64:
      return "nat64";
    case AddressClass::k6to4:
      return "6to4";
    case AddressClass::kTeredo:
      return "teredo";
    case AddressClass::kOrchid:
      return "orchid";
  }
  return "unknown";
}

}  // namespace turnd::turn

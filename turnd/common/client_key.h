// ClientKey: the part of a client's address that one party controls, as a
// small map key for per-client limits (connection counts, access-code and
// TURN-password throttles). A single IPv6 address means little — one host
// holds a whole /64 — so "one address" is an IPv4 address or an IPv6 /64, and
// "its network" an IPv4 /24 or an IPv6 /48. IPv4-mapped IPv6 addresses
// (::ffff:a.b.c.d, from dual-stack sockets) count as the IPv4 address.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "turnd/common/address.h"

namespace turnd {

struct ClientKey {
  uint64_t value = 0;
  bool operator==(const ClientKey&) const = default;

  // One address: IPv4 /32, IPv6 /64.
  static ClientKey host(const SocketAddress& a) noexcept { return of(a, 32, 64); }
  // Its network: IPv4 /24, IPv6 /48.
  static ClientKey network(const SocketAddress& a) noexcept { return of(a, 24, 48); }
  // Any prefix lengths (v4_bits ≤ 32, v6_bits ≤ 64); the port is ignored.
  static ClientKey of(const SocketAddress& a, unsigned v4_bits, unsigned v6_bits) noexcept;
};

struct ClientKeyHash {
  size_t operator()(ClientKey k) const noexcept {
    return static_cast<size_t>(k.value * 0x9E3779B97F4A7C15ull >> 7);
  }
};

// The 4 bytes of an IPv4 or IPv4-mapped IPv6 address; empty otherwise.
std::span<const std::byte> ipv4_bytes(const SocketAddress& a) noexcept;

}  // namespace turnd

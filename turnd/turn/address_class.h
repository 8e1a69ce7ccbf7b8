// AddressClass: what an IP address means, decided from its bits (never from
// its spelling), following the IANA IPv4 and IPv6 Special-Purpose Address
// Registries (RFC 6890 and its updates) plus the multicast, broadcast and
// unallocated blocks those registries leave out. The TURN peer policy
// (RFC 8656 §21) uses it to refuse relaying to loopback, private and other
// special destinations. Everything here is allocation-free and noexcept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "turnd/common/address.h"

namespace turnd::turn {

enum class AddressClass : uint8_t {
  // Globally reachable unicast: IPv4 outside every block below; IPv6 inside
  // 2000::/3 and outside every block below. Also the IANA blocks marked
  // globally reachable that carry real services: AS112 (192.31.196.0/24,
  // 192.175.48.0/24, 2001:4:112::/48, 2620:4f:8000::/48) and AMT
  // (192.52.193.0/24, 2001:3::/32).
  kPublic,
  // 0.0.0.0/32 and ::/128 ("this host"); also an empty SocketAddress.
  kUnspecified,
  // 0.0.0.0/8 minus 0.0.0.0/32 (RFC 791 "this network").
  kThisNetwork,
  // 127.0.0.0/8 (RFC 1122) and ::1/128 (RFC 4291).
  kLoopback,
  // 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918).
  kPrivate,
  // 100.64.0.0/10, carrier-grade NAT shared space (RFC 6598).
  kSharedCgnat,
  // 169.254.0.0/16 (RFC 3927; includes cloud metadata 169.254.169.254) and
  // fe80::/10 (RFC 4291).
  kLinkLocal,
  // 224.0.0.0/4 (RFC 5771) and ff00::/8 (RFC 4291).
  kMulticast,
  // 255.255.255.255/32, limited broadcast (RFC 919).
  kBroadcast,
  // 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737),
  // 2001:db8::/32 (RFC 3849) and 3fff::/20 (RFC 9637).
  kDocumentation,
  // 198.18.0.0/15 (RFC 2544) and 2001:2::/48 (RFC 5180).
  kBenchmarking,
  // Not for general unicast use:
  //   240.0.0.0/4 (RFC 1112, minus the broadcast address);
  //   192.0.0.0/24 IETF protocol assignments (RFC 6890), including DS-Lite
  //     192.0.0.0/29, the dummy address 192.0.0.8, NAT64 discovery
  //     192.0.0.170-171 and the PCP / TURN anycast addresses 192.0.0.9 and
  //     192.0.0.10 (anycast to the operator's own servers: denied too);
  //   192.88.99.0/24 deprecated 6to4 relay anycast (RFC 7526);
  //   2001::/23 IETF protocol assignments (RFC 2928) except the blocks that
  //     have a class of their own (Teredo, benchmarking, ORCHID, AMT, AS112),
  //     so including the anycast addresses 2001:1::1-3;
  //   100::/64 discard-only (RFC 6666) and 100:0:0:1::/64 dummy (RFC 9780);
  //   any other IPv6 outside 2000::/3 that no class above or below claims
  //     (unallocated by IANA; e.g. 5f00::/16 SRv6 SIDs, RFC 9602).
  kReserved,
  // fc00::/7, unique local addresses (RFC 4193).
  kUniqueLocal,
  // fec0::/10, deprecated site-local addresses (RFC 3879).
  kSiteLocal,
  // 64:ff9b::/96 well-known NAT64 prefix (RFC 6052) and 64:ff9b:1::/48
  // local-use NAT64 (RFC 8215). They embed an IPv4 address but keep this class.
  kNat64,
  // 2002::/16, 6to4 (RFC 3056). Embeds an IPv4 address but keeps this class.
  k6to4,
  // 2001::/32, Teredo (RFC 4380). Embeds an IPv4 address but keeps this class.
  kTeredo,
  // Overlay identifiers, not locators: 2001:10::/28 ORCHID (RFC 4843,
  // deprecated), 2001:20::/28 ORCHIDv2 (RFC 7343), 2001:30::/28 DETs (RFC 9374).
  kOrchid,
};

inline constexpr size_t kAddressClassCount = static_cast<size_t>(AddressClass::kOrchid) + 1;

// The class of address.ip_bytes(); the port is ignored. IPv4-mapped
// (::ffff:0:0/96), IPv4-compatible (::/96 except :: and ::1) and
// IPv4-translated (::ffff:0:0:0/96) IPv6 addresses take the class of the IPv4
// address they carry, so ::ffff:127.0.0.1 is kLoopback.
AddressClass classify(const SocketAddress& address) noexcept;

// The IPv4 address (with the same port) carried by an IPv4-mapped,
// IPv4-compatible or IPv4-translated IPv6 address; nullopt for anything else,
// including IPv4 addresses and NAT64 / 6to4 / Teredo addresses.
std::optional<SocketAddress> embedded_ipv4(const SocketAddress& address) noexcept;

// Static lowercase name for logs and metric labels ("loopback", "6to4", ...).
const char* to_string(AddressClass address_class) noexcept;

}  // namespace turnd::turn

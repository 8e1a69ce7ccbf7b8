#include "turnd/turn/peer_policy.h"

#include <optional>
#include <utility>

namespace turnd::turn {
namespace {

// Matches the peer as written and, for an IPv6 peer carrying an IPv4 address,
// that IPv4 address too, so neither spelling escapes a range.
bool in_any(const std::vector<IpRange>& ranges, const SocketAddress& peer,
            const std::optional<SocketAddress>& embedded) noexcept {
  for (const IpRange& range : ranges) {
    if (range.contains(peer) || (embedded && range.contains(*embedded))) return true;
  }
  return false;
}

bool never_relayable(AddressClass address_class) noexcept {
  switch (address_class) {
    case AddressClass::kMulticast:
    case AddressClass::kBroadcast:
    case AddressClass::kUnspecified:
    case AddressClass::kThisNetwork:
      return true;
    default:
      return false;
  }
}

}  // namespace

PeerPolicy::PeerPolicy(Options options) : options_(std::move(options)) {}

PeerPolicy::Decision PeerPolicy::decide(const SocketAddress& peer) const noexcept {
  const AddressClass address_class = classify(peer);
  auto verdict = [address_class](bool allowed, Reason reason) {
    return Decision{allowed, reason, address_class};
  };
  if (never_relayable(address_class)) return verdict(false, Reason::kNeverRelayable);
  if (peer.port() == 0) return verdict(false, Reason::kPortZero);

  const std::optional<SocketAddress> embedded = embedded_ipv4(peer);
  if (in_any(options_.allowed, peer, embedded)) return verdict(true, Reason::kAllowedRange);
  if (in_any(options_.denied, peer, embedded)) return verdict(false, Reason::kDeniedRange);

  if (address_class == AddressClass::kLoopback && options_.allow_loopback) {
    return verdict(true, Reason::kLoopbackEnabled);
  }
  if (address_class != AddressClass::kPublic) return verdict(false, Reason::kSpecialAddress);
  return verdict(true, Reason::kPublic);
}

const char* to_string(PeerPolicy::Reason reason) noexcept {
  switch (reason) {
    case PeerPolicy::Reason::kPublic:
      return "public";
    case PeerPolicy::Reason::kAllowedRange:
      return "allowed_range";
    case PeerPolicy::Reason::kLoopbackEnabled:
      return "loopback_enabled";
    case PeerPolicy::Reason::kNeverRelayable:
      return "never_relayable";
    case PeerPolicy::Reason::kPortZero:
      return "port_zero";
    case PeerPolicy::Reason::kDeniedRange:
      return "denied_range";
    case PeerPolicy::Reason::kSpecialAddress:
      return "special_address";
  }
  return "unknown";
}

}  // namespace turnd::turn

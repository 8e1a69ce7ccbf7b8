// PeerPolicy: may the relay send to this peer? RFC 8656 §21 warns that a
// TURN server can be used to reach hosts behind the operator's firewall, so by
// default only globally reachable unicast peers are allowed. The operator can
// open ranges (allowed) or close more (denied); both are matched against the
// IPv4 address an IPv4-mapped / -compatible / -translated IPv6 peer carries,
// so "::ffff:10.0.0.1" cannot slip past a "10.0.0.0/8" entry.
//
// The policy is immutable once built; decide() is noexcept and allocation-free
// so it can run for every CreatePermission, ChannelBind and Send indication.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "turnd/common/address.h"
#include "turnd/common/ip_range.h"
#include "turnd/turn/address_class.h"

namespace turnd::turn {

class PeerPolicy {
 public:
  struct Options {
    std::vector<IpRange> allowed;  // wins over denied and over the class defaults
    std::vector<IpRange> denied;
    bool allow_loopback = false;  // for tests and single-host setups
  };

  // Why a peer was allowed or denied; a small enum so it can index counters.
  enum class Reason : uint8_t {
    kPublic,           // allowed: globally reachable unicast
    kAllowedRange,     // allowed: inside an `allowed` range
    kLoopbackEnabled,  // allowed: loopback with allow_loopback set
    kNeverRelayable,   // denied: multicast, broadcast, unspecified, this-network
    kPortZero,         // denied: port 0 cannot be a peer
    kDeniedRange,      // denied: inside a `denied` range
    kSpecialAddress,   // denied: any other non-public class (private, loopback...)
  };
  static constexpr size_t kReasonCount = static_cast<size_t>(Reason::kSpecialAddress) + 1;

  struct Decision {
    bool allowed;
    Reason reason;
    AddressClass address_class;  // of the peer, embedded IPv4 taken into account
  };

  explicit PeerPolicy(Options options);

  // The rules, in order:
  //  1. multicast, broadcast, unspecified, this-network: always denied;
  //     port 0: denied;
  //  2. inside an allowed range: allowed;
  //  3. inside a denied range: denied;
  //  4. loopback: allowed only with allow_loopback;
  //  5. any other non-public class: denied;
  //  6. public: allowed.
  Decision decide(const SocketAddress& peer) const noexcept;
  bool allows(const SocketAddress& peer) const noexcept { return decide(peer).allowed; }

  const Options& options() const noexcept { return options_; }

 private:
  Options options_;
};

// Static lowercase name for logs and metric labels ("denied_range", ...).
const char* to_string(PeerPolicy::Reason reason) noexcept;

}  // namespace turnd::turn

// UdpRelayFactory: real relay sockets for turn::Server. Ports are picked at
// random in min-port..max-port and bound (the kernel arbitrates between
// workers); EVEN-PORT reservations are kept in a table all workers share,
// because the client's follow-up Allocate may land on another worker.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "turnd/common/clock.h"
#include "turnd/net/datagram_io.h"
#include "turnd/net/event_loop.h"
#include "turnd/net/udp.h"
#include "turnd/turn/io.h"

namespace turnd::net {

class ReservationTable {
 public:
  explicit ReservationTable(const Clock& clock) : clock_(clock) {}
  uint64_t put(Fd fd);  // returns the token
  std::optional<Fd> take(uint64_t token);

 private:
  struct Entry {
    Fd fd;
    SteadyTime expires;
  };
  const Clock& clock_;
  std::mutex mutex_;
  std::unordered_map<uint64_t, Entry> entries_;
};

struct RelayPlan {
  SocketAddress ipv4;  // empty: no IPv4 relay
  SocketAddress ipv6;  // empty: no IPv6 relay
  uint16_t min_port = 49152;
  uint16_t max_port = 65535;
  // (public, private) pairs from external-ip; private empty = any.
  std::vector<std::pair<SocketAddress, SocketAddress>> external;
};

// external-ip's rule: the public address announced for `local` — the first
// (public, private) pair whose private address is `local`'s IP, or is empty
// and of its family; `local` itself when none applies. The port is kept.
SocketAddress advertised_address(
    const std::vector<std::pair<SocketAddress, SocketAddress>>& external,
    const SocketAddress& local) noexcept;

class UdpRelayFactory final : public turn::RelayFactory {
 public:
  UdpRelayFactory(EventBase& base, DatagramIo& io, ReservationTable& reservations, RelayPlan plan);

  bool supports(Family family) const noexcept override;
  turn::RelayResult open(const turn::RelayRequest& request, turn::RelaySink& sink,
                         void* context) override;
  SocketAddress advertised(const SocketAddress& local) const noexcept override;

 private:
  uint32_t random() noexcept;
  Fd bind_in_range(const SocketAddress& ip, bool even, bool reserve_next, Fd& next);

  EventBase& base_;
  DatagramIo& io_;
  ReservationTable& reservations_;
  RelayPlan plan_;
  uint64_t rng_;
};

}  // namespace turnd::net

// A worker's UDP listener: one SO_REUSEPORT socket per worker on each
// listening address, so the kernel spreads clients across workers by 4-tuple
// and each client always lands on the worker that holds its allocation.
#pragma once

#include <memory>

#include "turnd/net/datagram_io.h"
#include "turnd/net/event_loop.h"
#include "turnd/net/udp.h"
#include "turnd/turn/io.h"

namespace turnd::net {

class UdpListener {
 public:
  // Throws std::runtime_error naming the address when it cannot bind.
  UdpListener(EventBase& base, const SocketAddress& address, DatagramIo& io,
              turn::ClientPacketHandler& handler);

  const SocketAddress& address() const noexcept { return address_; }

 private:
  void on_readable() noexcept;

  SocketAddress address_;
  Fd fd_;
  DatagramIo& io_;
  turn::ClientPacketHandler& handler_;
  std::unique_ptr<Event> event_;
};

}  // namespace turnd::net

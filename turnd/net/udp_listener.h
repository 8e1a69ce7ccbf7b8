// A worker's UDP listener: one SO_REUSEPORT socket per worker on each
// listening address, so the kernel spreads clients across workers by 4-tuple
// and each client always lands on the worker that holds its allocation.
// Its receive buffer is as large as net.core.rmem_max allows, up to
// kReceiveBuffer: a burst (an SFU's video frames from many publishers at
// once) waits in the kernel instead of being dropped.
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

  static constexpr int kReceiveBuffer = 8 << 20;

  const SocketAddress& address() const noexcept { return address_; }
  // What the kernel granted (SO_RCVBUF as it reports it), -1 if unknown.
  int receive_buffer() const noexcept { return receive_buffer_; }

 private:
  void on_readable() noexcept;

  SocketAddress address_;
  Fd fd_;
  DatagramIo& io_;
  turn::ClientPacketHandler& handler_;
  int receive_buffer_ = -1;
  std::unique_ptr<Event> event_;
};

}  // namespace turnd::net

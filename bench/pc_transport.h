// PcTransport: how one simulated PeerConnection's datagrams travel between
// the load generator and the SFU — straight over UDP (udp_pc_transport.h),
// or relayed by a TURN server over TCP (turn_tcp_client.h), as a browser
// behind a UDP-blocking firewall does. All of it runs on the load
// generator's one thread: it polls fd() for events(), calls on_events(),
// builds datagrams in place with reserve()/commit() and sends the queue with
// flush(). Media never allocates; setup may.
#pragma once

#include <poll.h>

#include <algorithm>
#include <cstdint>

#include "turnd/common/bytes.h"

namespace turnd::sfu::bench {

// Where received datagrams go: a non-owning reference to a callable
// (taken from an lvalue), so handing it down allocates nothing.
class Deliver {
 public:
  template <typename Fn>
  explicit Deliver(Fn& fn) noexcept
      : object_(&fn), call_([](void* o, MutableBytes d) { (*static_cast<Fn*>(o))(d); }) {}
  void operator()(MutableBytes datagram) const { call_(object_, datagram); }

 private:
  void* object_;
  void (*call_)(void*, MutableBytes);
};

class PcTransport {
 public:
  // Room reserve() always offers: the largest datagram the benchmark sends.
  static constexpr size_t kMaxDatagram = 1500;

  virtual ~PcTransport() = default;

  virtual int fd() const noexcept = 0;
  // The poll() events wanted now (POLLIN, and POLLOUT while output waits).
  virtual short events() const noexcept = 0;
  // Handles what poll() reported: each datagram from the SFU goes to
  // `deliver` (its bytes may be changed in place, e.g. by SRTP). Throws
  // std::runtime_error when the transport has failed for good.
  virtual void on_events(short revents, const Deliver& deliver) = 0;
  // Datagrams can flow (TURN: allocated, permitted, channel bound).
  virtual bool ready() const noexcept = 0;

  // Room for the next datagram (kMaxDatagram bytes at least); commit(n)
  // queues its first n bytes (0: nothing). A datagram that finds no room
  // (full buffers, not ready yet) is dropped and counted, as a browser's
  // would be. flush() hands the queue to the kernel.
  virtual MutableBytes reserve() noexcept = 0;
  virtual void commit(size_t length) noexcept = 0;
  virtual void flush() noexcept = 0;
  void send(Bytes datagram) noexcept {  // control plane: ICE, DTLS
    MutableBytes room = reserve();
    if (datagram.size() > room.size()) {
      ++dropped_;
      return;
    }
    std::copy(datagram.begin(), datagram.end(), room.begin());
    commit(datagram.size());
    flush();
  }

  uint64_t dropped() const noexcept { return dropped_; }
  // The local UDP port (the load run reads its drops in /proc/net/udp), or 0.
  virtual uint16_t udp_port() const noexcept { return 0; }

 protected:
  uint64_t dropped_ = 0;
};

}  // namespace turnd::sfu::bench

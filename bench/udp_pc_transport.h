// UdpPcTransport: a PeerConnection talking to the SFU's media socket
// directly, as a browser with UDP does: one socket on 127.0.0.1 connected to
// the SFU, datagrams queued and sent with one sendmmsg, received with
// recvmmsg, both in batches of 64.
#pragma once

#include <sys/socket.h>

#include <array>
#include <set>

#include "bench/pc_transport.h"
#include "turnd/net/udp.h"

namespace turnd::sfu::bench {

class UdpPcTransport final : public PcTransport {
 public:
  static constexpr size_t kBatch = 64;
  static constexpr size_t kBufferSize = 2048;

  // Throws std::runtime_error when the socket cannot be made.
  explicit UdpPcTransport(uint16_t sfu_port);

  int fd() const noexcept override { return fd_.get(); }
  short events() const noexcept override { return POLLIN; }
  void on_events(short revents, const Deliver& deliver) override;
  bool ready() const noexcept override { return true; }
  MutableBytes reserve() noexcept override;
  void commit(size_t length) noexcept override;
  void flush() noexcept override;
  uint16_t udp_port() const noexcept override { return port_; }

 private:
  using Buffers = std::array<std::array<std::byte, kBufferSize>, kBatch>;
  struct Batch {
    Buffers buffers;
    std::array<iovec, kBatch> iov{};
    std::array<mmsghdr, kBatch> headers{};
  };
  net::Fd fd_;
  uint16_t port_ = 0;
  Batch out_;
  size_t queued_ = 0;
  static Batch in_;  // one receive batch for the thread: datagrams are consumed at once
};

// Kernel receive-buffer drops of the UDP sockets on 127.0.0.1 whose local
// port is in `ports` or in first..last (the last column of /proc/net/udp).
uint64_t udp_drops(const std::set<uint16_t>& ports, uint16_t first = 1, uint16_t last = 0);

}  // namespace turnd::sfu::bench

// UDP socket helpers: opening, an owning file descriptor, a single send.
// Batched I/O is in datagram_io.h.
#pragma once

#include <sys/socket.h>

#include <cstddef>

#include "turnd/common/address.h"
#include "turnd/common/bytes.h"

namespace turnd::net {

// Opens a non-blocking UDP socket bound to `address` (SO_REUSEPORT when
// asked, IPV6_V6ONLY for IPv6). Returns -1 with errno set on failure.
int open_udp_socket(const SocketAddress& address, bool reuse_port) noexcept;

// RAII for a file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) noexcept : fd_(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  int get() const noexcept { return fd_; }
  int release() noexcept {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  bool valid() const noexcept { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// Asks for a receive buffer of `bytes` (SO_RCVBUF; the kernel caps it at
// net.core.rmem_max) and returns what the socket got, as the kernel counts it
// (twice the usable size), or -1.
int set_receive_buffer(int fd, int bytes) noexcept;

// Sends one datagram; false when the kernel refused it.
bool send_datagram(int fd, const SocketAddress& to, Bytes data) noexcept;

}  // namespace turnd::net

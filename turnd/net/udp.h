// UDP sockets: batched receive with recvmmsg into one per-worker buffer set
// that leaves headroom in front of every datagram (so the TURN logic can
// prepend a ChannelData or Data indication header without copying).
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <functional>

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

class RecvBatch {
 public:
  static constexpr size_t kSlots = 32;
  static constexpr size_t kHeadroom = 64;
  static constexpr size_t kPayload = 2048;  // larger datagrams are truncated and dropped
  static constexpr size_t kTailroom = 16;

  RecvBatch();
  // Reads up to kSlots datagrams from `fd`, calls fn(from, payload) for each
  // (payload is a MutableBytes with kHeadroom before it and kTailroom after).
  // Returns the number read; 0 when the socket had nothing.
  template <typename Fn>
  size_t drain(int fd, Fn&& fn) noexcept;

 private:
  size_t receive(int fd) noexcept;

  struct Slot {
    std::array<std::byte, kHeadroom + kPayload + kTailroom> buffer;
    sockaddr_storage from;
  };
  std::array<Slot, kSlots> slots_;
  std::array<mmsghdr, kSlots> headers_;
  std::array<iovec, kSlots> iovecs_;
};

template <typename Fn>
size_t RecvBatch::drain(int fd, Fn&& fn) noexcept {
  size_t count = receive(fd);
  for (size_t i = 0; i < count; ++i) {
    const mmsghdr& h = headers_[i];
    if ((h.msg_hdr.msg_flags & MSG_TRUNC) != 0) continue;
    auto from = SocketAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&slots_[i].from),
                                             h.msg_hdr.msg_namelen);
    if (!from) continue;
    fn(*from, MutableBytes(slots_[i].buffer.data() + kHeadroom, h.msg_len));
  }
  return count;
}

// Sends one datagram; false when the kernel refused it.
bool send_datagram(int fd, const SocketAddress& to, Bytes data) noexcept;

}  // namespace turnd::net

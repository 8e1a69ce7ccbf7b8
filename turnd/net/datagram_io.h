// DatagramIo: a worker's batched UDP I/O. Receives go through recvmmsg into
// a pool of packet buffers that leave headroom in front of every datagram
// (so the TURN logic writes ChannelData / Data indication headers in place);
// sends are queued — pointing into those buffers, no copy — and leave with
// one sendmmsg per socket when the worker's loop iteration ends (flush()).
// Data that does not live in the pool (a response built elsewhere, a TCP
// frame, an SFU's encrypted copy) is copied into a buffer of a second, send
// pool when queued. When the send pool or the queue is full in the middle of
// a round (an SFU fanning a batch out to many subscribers), what is queued
// leaves at once, still batched, and the send pool starts over; received
// buffers stay valid until flush().
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <vector>

#include "turnd/common/address.h"
#include "turnd/common/bytes.h"
#include "turnd/common/counter.h"

namespace turnd::net {

class DatagramIo {
 public:
  static constexpr size_t kBatch = 32;          // datagrams per recvmmsg
  static constexpr size_t kPoolSize = 512;      // received buffers per loop iteration
  static constexpr size_t kSendPoolSize = 256;  // copied sends between two sendmmsg rounds
  static constexpr size_t kQueueSize = kPoolSize + kSendPoolSize;
  static constexpr size_t kHeadroom = 64;
  static constexpr size_t kPayload = 2048;  // larger datagrams are dropped
  static constexpr size_t kTailroom = 16;

  DatagramIo();
  DatagramIo(const DatagramIo&) = delete;
  DatagramIo& operator=(const DatagramIo&) = delete;

  // Reads up to kBatch datagrams from `fd` and calls fn(from, payload) for
  // each; payload has kHeadroom bytes before it and kTailroom after it, and
  // stays valid until flush(). Returns how many were read.
  template <typename Fn>
  size_t receive(int fd, Fn&& fn) noexcept;

  // Queues a datagram; `data` must stay valid until flush() unless it is
  // copied (anything outside the receive pool is). Never blocks.
  void send(int fd, const SocketAddress& to, Bytes data) noexcept;

  // A send-pool buffer (kPayload + kTailroom bytes, 8-byte aligned) for the
  // caller to build a datagram in; the next send() of data inside it queues
  // it without a copy. Valid until the next send() or flush().
  MutableBytes send_buffer() noexcept;

  // Sends everything queued (one sendmmsg per run of the same socket) and
  // makes all buffers free again. The end of every loop iteration.
  void flush() noexcept;

  Counter datagrams_sent;
  Counter send_calls;   // sendmmsg/sendto syscalls
  Counter early_sends;  // queue sent mid-round because the send pool or queue was full
  Counter send_errors;  // datagrams the kernel refused (dropped)
  Counter oversized;    // received datagrams over kPayload (dropped)

 private:
  struct Buffer {
    alignas(8) std::array<std::byte, kHeadroom + kPayload + kTailroom> bytes;
  };
  struct Outgoing {
    int fd;
    SocketAddress to;
    iovec iov;
  };

  size_t receive_into_pool(int fd) noexcept;
  bool in_pool(const std::byte* p) const noexcept;
  void send_queued() noexcept;

  std::vector<Buffer> pool_;
  size_t pool_used_ = 0;
  std::vector<Buffer> send_pool_;
  size_t send_pool_used_ = 0;
  std::array<sockaddr_storage, kBatch> from_{};
  std::array<mmsghdr, kBatch> rx_{};
  std::array<iovec, kBatch> rx_iov_{};
  std::vector<Outgoing> queue_;
  std::vector<mmsghdr> tx_;
};

template <typename Fn>
size_t DatagramIo::receive(int fd, Fn&& fn) noexcept {
  // receive_into_pool may flush() and start the pool over: the batch is the
  // last `count` buffers *after* it.
  size_t count = receive_into_pool(fd);
  size_t first = pool_used_ - count;
  for (size_t i = 0; i < count; ++i) {
    const mmsghdr& h = rx_[i];
    if ((h.msg_hdr.msg_flags & MSG_TRUNC) != 0) {
      oversized.add();
      continue;
    }
    auto from = SocketAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&from_[i]),
                                             h.msg_hdr.msg_namelen);
    if (!from) continue;
    fn(*from, MutableBytes(pool_[first + i].bytes.data() + kHeadroom, h.msg_len));
  }
  return count;
}

}  // namespace turnd::net

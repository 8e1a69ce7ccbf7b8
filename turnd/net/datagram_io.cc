#include "turnd/net/datagram_io.h"

#include <cstring>

#include "turnd/net/udp.h"

namespace turnd::net {

DatagramIo::DatagramIo() : pool_(kPoolSize), send_pool_(kSendPoolSize) {
  queue_.reserve(kQueueSize);
  tx_.resize(kQueueSize);
}

bool DatagramIo::in_pool(const std::byte* p) const noexcept {
  auto* begin = reinterpret_cast<const std::byte*>(pool_.data());
  auto* end = reinterpret_cast<const std::byte*>(pool_.data() + pool_.size());
  return p >= begin && p < end;
}

size_t DatagramIo::receive_into_pool(int fd) noexcept {
  // Received buffers stay in use until flush(): make room first if needed.
  if (pool_used_ + kBatch > pool_.size()) flush();
  for (size_t i = 0; i < kBatch; ++i) {
    rx_iov_[i] = {pool_[pool_used_ + i].bytes.data() + kHeadroom, kPayload};
    msghdr& m = rx_[i].msg_hdr;
    m = {};
    m.msg_name = &from_[i];
    m.msg_namelen = sizeof(sockaddr_storage);
    m.msg_iov = &rx_iov_[i];
    m.msg_iovlen = 1;
    rx_[i].msg_len = 0;
  }
  int n = ::recvmmsg(fd, rx_.data(), kBatch, MSG_DONTWAIT, nullptr);
  if (n <= 0) return 0;
  pool_used_ += static_cast<size_t>(n);
  return static_cast<size_t>(n);
}

MutableBytes DatagramIo::send_buffer() noexcept {
  if (queue_.size() == queue_.capacity() || send_pool_used_ == send_pool_.size()) {
    early_sends.add();
    send_queued();
  }
  return {send_pool_[send_pool_used_].bytes.data() + kHeadroom, kPayload + kTailroom};
}

void DatagramIo::send(int fd, const SocketAddress& to, Bytes data) noexcept {
  if (data.size() > kPayload + kTailroom) {  // too big for a buffer: at once
    send_calls.add();
    if (send_datagram(fd, to, data)) {
      datagrams_sent.add();
    } else {
      send_errors.add();
    }
    return;
  }
  auto* p = const_cast<std::byte*>(data.data());
  bool built_in_place = send_pool_used_ < send_pool_.size() &&
                        p >= send_pool_[send_pool_used_].bytes.data() &&
                        p < send_pool_[send_pool_used_].bytes.data() + sizeof(Buffer);
  if (built_in_place && queue_.size() < queue_.capacity()) {  // from send_buffer()
    ++send_pool_used_;
    queue_.push_back({fd, to, {p, data.size()}});
    return;
  }
  bool copy = !in_pool(p);
  // Out of room: what is queued leaves now (received buffers stay valid, the
  // caller may be inside receive()), and the send pool starts over.
  if (queue_.size() == queue_.capacity() || (copy && send_pool_used_ == send_pool_.size())) {
    early_sends.add();
    send_queued();
  }
  if (copy) {  // not one of ours (a response, a TCP frame): copy it in
    auto* to_buffer = send_pool_[send_pool_used_++].bytes.data();
    std::memmove(to_buffer, data.data(), data.size());  // may be an unsent send_buffer()
    p = to_buffer;
  }
  queue_.push_back({fd, to, {p, data.size()}});
}

void DatagramIo::send_queued() noexcept {
  size_t n = queue_.size();
  for (size_t i = 0; i < n; ++i) {
    msghdr& m = tx_[i].msg_hdr;
    m = {};
    m.msg_name = const_cast<sockaddr*>(queue_[i].to.sockaddr_ptr());
    m.msg_namelen = queue_[i].to.sockaddr_len();
    m.msg_iov = &queue_[i].iov;
    m.msg_iovlen = 1;
  }
  size_t i = 0;
  while (i < n) {
    size_t run = 1;
    while (i + run < n && queue_[i + run].fd == queue_[i].fd) ++run;
    size_t done = 0;
    while (done < run) {
      int sent = ::sendmmsg(queue_[i].fd, tx_.data() + i + done, static_cast<unsigned>(run - done),
                            MSG_DONTWAIT);
      send_calls.add();
      if (sent <= 0) {
        // The first datagram of the rest was refused (buffer full, unreachable):
        // drop it and go on with the others, as the network would.
        send_errors.add();
        ++done;
        continue;
      }
      done += static_cast<size_t>(sent);
      datagrams_sent.add(static_cast<uint64_t>(sent));
    }
    i += run;
  }
  queue_.clear();
  send_pool_used_ = 0;
}

void DatagramIo::flush() noexcept {
  send_queued();
  pool_used_ = 0;
}

}  // namespace turnd::net

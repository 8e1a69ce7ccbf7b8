#include "bench/udp_pc_transport.h"

#include <netinet/in.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace turnd::sfu::bench {

UdpPcTransport::Batch UdpPcTransport::in_;

// A receive buffer as large as the system allows: a subscriber in a room of
// 16 gets 5000+ packets/s.
UdpPcTransport::UdpPcTransport(uint16_t sfu_port)
    : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  int size = 4 << 20;
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  if (!fd_.valid() || ::bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    throw std::runtime_error("cannot open a participant socket");
  }
  port_ = ntohs(a.sin_port);
  a.sin_port = htons(sfu_port);
  if (::connect(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    throw std::runtime_error("cannot connect a participant socket");
  }
}

void UdpPcTransport::on_events(short revents, const Deliver& deliver) {
  if ((revents & POLLIN) == 0) return;
  for (;;) {
    for (size_t i = 0; i < kBatch; ++i) {
      in_.iov[i] = {in_.buffers[i].data(), kBufferSize};
      in_.headers[i] = {};
      in_.headers[i].msg_hdr.msg_iov = &in_.iov[i];
      in_.headers[i].msg_hdr.msg_iovlen = 1;
    }
    int n = ::recvmmsg(fd_.get(), in_.headers.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    for (int i = 0; i < n; ++i)
      deliver(MutableBytes(in_.buffers[i].data(), in_.headers[i].msg_len));
    if (static_cast<size_t>(n) < kBatch) return;
  }
}

MutableBytes UdpPcTransport::reserve() noexcept {
  if (queued_ == kBatch) flush();
  return {out_.buffers[queued_].data(), kBufferSize};
}

void UdpPcTransport::commit(size_t length) noexcept {
  if (length == 0) return;
  out_.iov[queued_] = {out_.buffers[queued_].data(), length};
  out_.headers[queued_] = {};
  out_.headers[queued_].msg_hdr.msg_iov = &out_.iov[queued_];
  out_.headers[queued_].msg_hdr.msg_iovlen = 1;
  ++queued_;
}

void UdpPcTransport::flush() noexcept {
  size_t done = 0;
  while (done < queued_) {
    int n =
        ::sendmmsg(fd_.get(), out_.headers.data() + done, static_cast<unsigned>(queued_ - done), 0);
    if (n <= 0) break;  // a full socket buffer: dropped, as a browser's would be
    done += static_cast<size_t>(n);
  }
  dropped_ += queued_ - done;
  queued_ = 0;
}

uint64_t udp_drops(const std::set<uint16_t>& ports, uint16_t first, uint16_t last) {
  std::ifstream in("/proc/net/udp");
  std::string line;
  std::getline(in, line);  // header
  uint64_t drops = 0;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string slot, local, field;
    f >> slot >> local;
    auto colon = local.find(':');
    if (colon == std::string::npos || local.substr(0, colon) != "0100007F") continue;
    auto port = static_cast<uint16_t>(std::stoul(local.substr(colon + 1), nullptr, 16));
    if (ports.count(port) == 0 && (port < first || port > last)) continue;
    std::string value;
    while (f >> field) value = field;
    drops += std::stoull(value);
  }
  return drops;
}

}  // namespace turnd::sfu::bench

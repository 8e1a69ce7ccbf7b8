#include "turnd/net/udp_listener.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace turnd::net {
namespace {

// Answers a client through the listener socket it wrote to.
class UdpLink final : public turn::ClientLink {
 public:
  UdpLink(DatagramIo& io, int fd, const SocketAddress& client)
      : io_(io), fd_(fd), client_(client) {}
  void send(Bytes message) noexcept override { io_.send(fd_, client_, message); }
  MutableBytes send_buffer() noexcept override { return io_.send_buffer(); }
  std::unique_ptr<ClientLink> retain() const override {
    return std::make_unique<UdpLink>(io_, fd_, client_);
  }

 private:
  DatagramIo& io_;
  int fd_;
  SocketAddress client_;
};

// Bounded so one busy socket cannot starve the worker's other sockets.
constexpr int kMaxBatchesPerWakeup = 8;

}  // namespace

UdpListener::UdpListener(EventBase& base, const SocketAddress& address, DatagramIo& io,
                         turn::ClientPacketHandler& handler)
    : address_(address), fd_(open_udp_socket(address, true)), io_(io), handler_(handler) {
  if (!fd_.valid()) {
    throw std::runtime_error("cannot listen on udp " + address.to_string() + ": " +
                             std::strerror(errno));
  }
  receive_buffer_ = set_receive_buffer(fd_.get(), kReceiveBuffer);
  event_ = Event::readable(base, fd_.get(), [this] { on_readable(); });
}

void UdpListener::on_readable() noexcept {
  for (int i = 0; i < kMaxBatchesPerWakeup; ++i) {
    size_t n = io_.receive(fd_.get(), [this](const SocketAddress& from, MutableBytes data) {
      turn::FiveTuple tuple{from, address_, turn::ClientTransport::kUdp};
      UdpLink link(io_, fd_.get(), from);
      handler_.on_client_packet(tuple, link, data);
    });
    if (n < DatagramIo::kBatch) return;
  }
}

}  // namespace turnd::net

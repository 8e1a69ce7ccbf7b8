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
  UdpLink(int fd, const SocketAddress& client) : fd_(fd), client_(client) {}
  void send(Bytes message) noexcept override { send_datagram(fd_, client_, message); }
  std::unique_ptr<ClientLink> retain() const override {
    return std::make_unique<UdpLink>(fd_, client_);
  }

 private:
  int fd_;
  SocketAddress client_;
};

// Bounded so one busy socket cannot starve the worker's other sockets.
constexpr int kMaxBatchesPerWakeup = 8;

}  // namespace

UdpListener::UdpListener(EventBase& base, const SocketAddress& address, RecvBatch& batch,
                         turn::ClientPacketHandler& handler)
    : address_(address), fd_(open_udp_socket(address, true)), batch_(batch), handler_(handler) {
  if (!fd_.valid()) {
    throw std::runtime_error("cannot listen on udp " + address.to_string() + ": " +
                             std::strerror(errno));
  }
  event_ = Event::readable(base, fd_.get(), [this] { on_readable(); });
}

void UdpListener::on_readable() noexcept {
  for (int i = 0; i < kMaxBatchesPerWakeup; ++i) {
    size_t n = batch_.drain(fd_.get(), [this](const SocketAddress& from, MutableBytes data) {
      turn::FiveTuple tuple{from, address_, turn::ClientTransport::kUdp};
      UdpLink link(fd_.get(), from);
      handler_.on_client_packet(tuple, link, data);
    });
    if (n < RecvBatch::kSlots) return;
  }
}

}  // namespace turnd::net

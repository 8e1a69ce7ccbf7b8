#include "turnd/net/relay_factory.h"

#include <netinet/in.h>
#include <openssl/rand.h>
#include <sys/socket.h>

#include "turnd/stun/constants.h"

namespace turnd::net {
namespace {

constexpr Seconds kReservationLifetime{30};  // RFC 8656 §7.2: about 30 seconds
constexpr int kBindAttempts = 64;

class UdpRelaySocket final : public turn::RelaySocket {
 public:
  UdpRelaySocket(EventBase& base, DatagramIo& io, Fd fd, turn::RelaySink& sink, void* context)
      : fd_(std::move(fd)), io_(io), sink_(sink), context_(context) {
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&ss), &len);
    local_ = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&ss), len).value_or(local_);
    event_ = Event::readable(base, fd_.get(), [this] { on_readable(); });
  }

  const SocketAddress& local_address() const noexcept override { return local_; }
  bool send_to(const SocketAddress& peer, Bytes data) noexcept override {
    io_.send(fd_.get(), peer, data);  // errors are counted by DatagramIo
    return true;
  }
  void set_dont_fragment(bool on) noexcept override {
    int v4 = on ? IP_PMTUDISC_DO : IP_PMTUDISC_WANT;
    int v6 = on ? IPV6_PMTUDISC_DO : IPV6_PMTUDISC_WANT;
    if (local_.is_v4()) ::setsockopt(fd_.get(), IPPROTO_IP, IP_MTU_DISCOVER, &v4, sizeof(v4));
    if (local_.is_v6()) ::setsockopt(fd_.get(), IPPROTO_IPV6, IPV6_MTU_DISCOVER, &v6, sizeof(v6));
  }

 private:
  void on_readable() noexcept {
    for (int i = 0; i < 8; ++i) {
      size_t n = io_.receive(fd_.get(), [this](const SocketAddress& from, MutableBytes data) {
        sink_.on_peer_packet(context_, from, data, DatagramIo::kHeadroom, DatagramIo::kTailroom);
      });
      if (n < DatagramIo::kBatch) return;
    }
  }

  Fd fd_;
  DatagramIo& io_;
  turn::RelaySink& sink_;
  void* context_;
  SocketAddress local_;
  std::unique_ptr<Event> event_;
};

}  // namespace

uint64_t ReservationTable::put(Fd fd) {
  std::lock_guard lock(mutex_);
  SteadyTime now = clock_.now();
  std::erase_if(entries_, [now](const auto& e) { return e.second.expires <= now; });
  uint64_t token = 0;
  while (token == 0 || entries_.count(token) != 0) {
    RAND_bytes(reinterpret_cast<unsigned char*>(&token), sizeof(token));
  }
  entries_.emplace(token, Entry{std::move(fd), now + kReservationLifetime});
  return token;
}

std::optional<Fd> ReservationTable::take(uint64_t token) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(token);
  if (it == entries_.end() || it->second.expires <= clock_.now()) return std::nullopt;
  Fd fd = std::move(it->second.fd);
  entries_.erase(it);
  return fd;
}

UdpRelayFactory::UdpRelayFactory(EventBase& base, DatagramIo& io, ReservationTable& reservations,
                                 RelayPlan plan)
    : base_(base), io_(io), reservations_(reservations), plan_(std::move(plan)) {
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&rng_), sizeof(rng_)) != 1 || rng_ == 0) {
    rng_ = 0x2545F4914F6CDD1Dull;
  }
}

bool UdpRelayFactory::supports(Family family) const noexcept {
  return family == Family::kIPv4 ? !plan_.ipv4.empty() : !plan_.ipv6.empty();
}

uint32_t UdpRelayFactory::random() noexcept {
  rng_ ^= rng_ << 13;
  rng_ ^= rng_ >> 7;
  rng_ ^= rng_ << 17;
  return static_cast<uint32_t>(rng_ >> 16);
}

Fd UdpRelayFactory::bind_in_range(const SocketAddress& ip, bool even, bool reserve_next, Fd& next) {
  uint32_t span = static_cast<uint32_t>(plan_.max_port - plan_.min_port) + 1;
  for (int attempt = 0; attempt < kBindAttempts; ++attempt) {
    auto port = static_cast<uint16_t>(plan_.min_port + random() % span);
    if (even && port % 2 != 0) port = port > plan_.min_port ? port - 1 : port + 1;
    if (even && (port % 2 != 0 || port > plan_.max_port)) continue;
    if (reserve_next && port == plan_.max_port) continue;
    Fd fd(open_udp_socket(ip.with_port(port), false));
    if (!fd.valid()) continue;
    if (reserve_next) {
      Fd second(open_udp_socket(ip.with_port(static_cast<uint16_t>(port + 1)), false));
      if (!second.valid()) continue;  // fd closes itself; try another pair
      next = std::move(second);
    }
    return fd;
  }
  return Fd();
}

turn::RelayResult UdpRelayFactory::open(const turn::RelayRequest& request, turn::RelaySink& sink,
                                        void* context) {
  turn::RelayResult result;
  Fd fd;
  if (request.reservation_token != 0) {
    auto reserved = reservations_.take(request.reservation_token);
    if (!reserved) {
      result.error = stun::error::kInsufficientCapacity;  // RFC 8656 §7.2: 508
      return result;
    }
    fd = std::move(*reserved);
  } else {
    const SocketAddress& ip = request.family == Family::kIPv6 ? plan_.ipv6 : plan_.ipv4;
    if (ip.empty()) {
      result.error = stun::error::kAddressFamilyNotSupported;
      return result;
    }
    Fd next;
    fd = bind_in_range(ip, request.even_port, request.reserve_next, next);
    if (!fd.valid()) {
      result.error = stun::error::kInsufficientCapacity;
      return result;
    }
    if (next.valid()) result.reservation_token = reservations_.put(std::move(next));
  }
  result.socket = std::make_unique<UdpRelaySocket>(base_, io_, std::move(fd), sink, context);
  return result;
}

SocketAddress advertised_address(
    const std::vector<std::pair<SocketAddress, SocketAddress>>& external,
    const SocketAddress& local) noexcept {
  for (const auto& [public_ip, private_ip] : external) {
    bool applies =
        private_ip.empty() ? public_ip.family() == local.family() : private_ip.same_ip(local);
    if (applies) return public_ip.with_port(local.port());
  }
  return local;
}

SocketAddress UdpRelayFactory::advertised(const SocketAddress& local) const noexcept {
  return advertised_address(plan_.external, local);
}

}  // namespace turnd::net

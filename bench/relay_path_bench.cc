// The relay's packet path through turn::Server, without sockets: ChannelData
// from a client to its peer, and a peer datagram back to the client as
// ChannelData or as a Data indication. Reports packets/s and heap
// allocations per packet (operator new is counted while a benchmark runs):
// the relay path must stay at 0.
#include <benchmark/benchmark.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <new>

#include "turnd/stun/attr/channel_number.h"
#include "turnd/stun/attr/requested_transport.h"
#include "turnd/stun/attr/xor_peer_address.h"
#include "turnd/stun/message.h"
#include "turnd/turn/server.h"

// The replacement operators pair malloc with free; GCC's heuristic cannot see
// that through inlining and warns about a mismatch that is not there.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {
std::atomic<bool> g_counting{false};
std::atomic<uint64_t> g_allocations{0};
}  // namespace

void* operator new(size_t size) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}

namespace turnd::turn {
namespace {

class NullLink final : public ClientLink {
 public:
  void send(Bytes message) noexcept override { bytes += message.size(); }
  std::unique_ptr<ClientLink> retain() const override { return std::make_unique<NullLink>(); }
  size_t bytes = 0;
};

class NullRelay final : public RelaySocket {
 public:
  const SocketAddress& local_address() const noexcept override { return local_; }
  bool send_to(const SocketAddress&, Bytes data) noexcept override {
    bytes += data.size();
    return true;
  }
  void set_dont_fragment(bool) noexcept override {}
  SocketAddress local_ = *SocketAddress::parse("203.0.113.1:50000");
  size_t bytes = 0;
};

class NullFactory final : public RelayFactory {
 public:
  bool supports(Family family) const noexcept override { return family == Family::kIPv4; }
  RelayResult open(const RelayRequest&, RelaySink&, void* context) override {
    allocation = context;
    return {std::make_unique<NullRelay>(), 0, 0};
  }
  SocketAddress advertised(const SocketAddress& local) const noexcept override { return local; }
  void* allocation = nullptr;
};

// A Server in no-auth mode with one allocation, one permission and channel
// 0x4000 bound to kPeer.
struct Fixture {
  const SocketAddress kClient = *SocketAddress::parse("198.51.100.7:40000");
  const SocketAddress kPeer = *SocketAddress::parse("192.0.2.99:6000");
  SystemClock clock;
  NullFactory relays;
  Quota quota{0, 0};
  Server server{
      ServerDeps{clock, relays, quota},
      std::make_shared<const Policy>(
          clock, auth::AuthOptions{}, 600, std::array<std::byte, 32>{},
          PeerPolicy::Options{{*IpRange::parse("192.0.2.0/24")}, {}, false}, ServerOptions{})};
  FiveTuple tuple{kClient, *SocketAddress::parse("203.0.113.1:3478"), ClientTransport::kUdp};
  NullLink link;

  Fixture() {
    request(stun::Method::kAllocate, [](stun::MessageBuilder& b) {
      stun::RequestedTransport{stun::kTransportUdp}.add_to(b);
    });
    request(stun::Method::kChannelBind, [this](stun::MessageBuilder& b) {
      stun::ChannelNumber{0x4000}.add_to(b);
      stun::XorPeerAddress{kPeer}.add_to(b);
    });
  }
  template <typename Fn>
  void request(stun::Method method, Fn&& add) {
    std::array<std::byte, 256> buffer{};
    std::array<std::byte, 12> id{std::byte{static_cast<uint8_t>(method)}};
    stun::MessageBuilder b(buffer, method, stun::MessageClass::kRequest, id);
    add(b);
    std::vector<std::byte> copy(b.bytes().begin(), b.bytes().end());
    server.on_client_packet(tuple, link, copy);
  }
};

void count_allocations(benchmark::State& state, uint64_t before) {
  state.counters["allocs_per_packet"] = benchmark::Counter(
      static_cast<double>(g_allocations.load() - before) / static_cast<double>(state.iterations()));
}

void BM_ClientChannelDataToPeer(benchmark::State& state) {
  Fixture f;
  std::array<std::byte, 4 + 160> packet{};
  store_be16(packet.data(), 0x4000);
  store_be16(packet.data() + 2, 160);
  uint64_t before = g_allocations.load();
  g_counting = true;
  for (auto _ : state) f.server.on_client_packet(f.tuple, f.link, packet);
  g_counting = false;
  count_allocations(state, before);
  if (f.server.metrics().packets_to_peers.get() < static_cast<uint64_t>(state.iterations())) {
    state.SkipWithError("packets were not relayed");
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 160);
}
BENCHMARK(BM_ClientChannelDataToPeer);

void peer_to_client(benchmark::State& state, bool channel) {
  Fixture f;
  SocketAddress peer = channel ? f.kPeer : f.kPeer.with_port(7000);  // no channel for 7000
  std::array<std::byte, 64 + 160 + 16> buffer{};
  uint64_t before = g_allocations.load();
  g_counting = true;
  for (auto _ : state) {
    f.server.on_peer_packet(f.relays.allocation, peer, MutableBytes(buffer.data() + 64, 160), 64,
                            16);
  }
  g_counting = false;
  count_allocations(state, before);
  if (f.server.metrics().packets_from_peers.get() < static_cast<uint64_t>(state.iterations())) {
    state.SkipWithError("packets were not relayed");
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * 160);
}
void BM_PeerToClientChannelData(benchmark::State& state) {
  peer_to_client(state, true);
}
void BM_PeerToClientDataIndication(benchmark::State& state) {
  peer_to_client(state, false);
}
BENCHMARK(BM_PeerToClientChannelData);
BENCHMARK(BM_PeerToClientDataIndication);

}  // namespace
}  // namespace turnd::turn

// Fuzz target: the TURN server state machine (turn::Server) driven by a
// script of client packets, peer datagrams and clock steps, so the fuzzer
// can reach allocations, permissions, channels, reservations and expiry, not
// just the parser. Everything runs in memory (no sockets), like the unit
// tests' Harness (tests/unit/turn/fakes.h, which needs GoogleTest, so this
// file has its own small fakes).
//
// Input: one setup byte, then records until the input ends.
//   setup bit 0  long-term credentials (user alice / alice-pass, realm example.org;
//                the nonce key is 42 followed by 31 zero bytes, so seeds can carry
//                valid nonces, see corpus/make_turn_server_seeds.py)
//         bit 1  fingerprint on every response    bit 2  SOFTWARE
//         bit 3  max-bps 2000                      bit 4  IPv6 relays
//         bit 5  quotas: total 2, per user 1
//   record: KIND, then by KIND % 8
//     0 UDP datagram from client C:      C, LEN (2 bytes, big endian), LEN bytes
//     1 TCP bytes from client C:         C, LEN, LEN bytes (framed as turnd/net does)
//     2 like 0, and like 3 below, with the STUN or ChannelData length field set
//       to match LEN (so mutations keep well-formed messages)
//     3 datagram from peer P to relay R: R, P, LEN, LEN bytes
//     4 the clock moves S seconds:       S (S < 128: S seconds, else (S-127) minutes)
//     5 expire()
//     6 client C's TCP connection closes: C
//     7 like 1 with the length field fixed as in 2
//   Clients C % 6: 192.0.2.10-13:40000 (IPv4), [2001:db8:ff::10-11]:40000 (IPv6).
//   Peers P % 6: 203.0.113.5:4000, 203.0.113.5:4001, 203.0.113.6:5000,
//     198.51.100.1:6000 (denied), [2001:db8:1::5]:7000, [2001:db8:1::6]:7001.
//   Relays R: the open relay sockets in the order they were opened.
//   A LEN beyond the end of the input takes what is left.
//
// Besides the sanitizers, it aborts when the server: sends a client anything
// that is not a well-formed STUN response/indication or ChannelData (with a
// right FINGERPRINT if any); sends on a closed TCP connection; relays to a peer
// the PeerPolicy denies, or from a relay socket of another family; keeps
// relay sockets without allocations; or exceeds the quota.
//
// TURND_FUZZ_TRACE=1 prints what the server sends, to check that seeds reach
// the states they are meant to (the replay driver takes folders; libFuzzer
// builds take files too).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "turnd/auth/authenticator.h"
#include "turnd/auth/keys.h"
#include "turnd/common/clock.h"
#include "turnd/common/ip_range.h"
#include "turnd/stun/constants.h"
#include "turnd/stun/integrity.h"
#include "turnd/stun/message.h"
#include "turnd/turn/peer_policy.h"
#include "turnd/turn/policy.h"
#include "turnd/turn/quota.h"
#include "turnd/turn/server.h"
#include "turnd/turn/stream_framer.h"

namespace turnd::turn::fuzz {
namespace {

constexpr size_t kMaxDatagram = 2048;  // turnd/net drops larger UDP datagrams
constexpr size_t kClients = 6;
constexpr size_t kPeers = 6;

bool tracing() {
  static const bool on = std::getenv("TURND_FUZZ_TRACE") != nullptr;
  return on;
}

[[noreturn]] void violated(const char* what) {
  std::fprintf(stderr, "turn_server_fuzz: invariant violated: %s\n", what);
  std::abort();
}

SocketAddress parse(std::string_view text) {
  auto parsed = SocketAddress::parse(text);
  if (!parsed) violated("bad address literal");
  return *parsed;
}

// What a client sees; shared by every handle of one connection.
struct LinkState {
  bool stream = false;
  bool closed = false;
  size_t messages = 0;
};

// Checks what the server sends a client (RFC 8489 §5-6, RFC 8656 §12).
void check_client_message(const LinkState& state, Bytes message) {
  if (state.closed) violated("sent on a closed TCP connection");
  if (message.size() < 4) violated("a message shorter than 4 bytes");
  if ((static_cast<uint8_t>(message[0]) & 0xC0) == 0x40) {
    size_t length = load_be16(message.data() + 2);
    size_t expected = stun::kChannelDataHeaderSize + length;
    if (state.stream) expected = pad4(expected);
    if (message.size() != expected) violated("ChannelData length does not match its size");
    if (tracing())
      std::printf("  -> client: ChannelData 0x%04x, %zu bytes\n", load_be16(message.data()),
                  length);
    return;
  }
  stun::MessageView view;
  if (stun::MessageView::parse(message, view) != stun::ParseResult::kOk) {
    violated("the server sent a malformed STUN message");
  }
  if (view.message_class() == stun::MessageClass::kRequest) violated("the server sent a request");
  if (view.fingerprint_offset() != 0 && !stun::verify_fingerprint(view)) {
    violated("the server sent a wrong FINGERPRINT");
  }
  if (tracing()) {
    uint16_t code = 0;
    if (auto error = view.find(stun::attr::kErrorCode); error && error->value.size() >= 4) {
      code = static_cast<uint16_t>((static_cast<unsigned>(error->value[2]) & 7) * 100 +
                                   static_cast<unsigned>(error->value[3]));
    }
    std::printf("  -> client: method 0x%03x class %u error %u, %zu bytes\n", view.method(),
                static_cast<unsigned>(view.message_class()), code, message.size());
  }
}

class Link final : public ClientLink {
 public:
  explicit Link(std::shared_ptr<LinkState> state) : state_(std::move(state)) {}
  void send(Bytes message) noexcept override {
    check_client_message(*state_, message);
    ++state_->messages;
  }
  std::unique_ptr<ClientLink> retain() const override { return std::make_unique<Link>(state_); }

 private:
  std::shared_ptr<LinkState> state_;
};

class FakeRelayFactory;

class FakeRelaySocket final : public RelaySocket {
 public:
  FakeRelaySocket(FakeRelayFactory& factory, SocketAddress local, RelaySink& sink, void* context);
  ~FakeRelaySocket() override;
  const SocketAddress& local_address() const noexcept override { return local_; }
  bool send_to(const SocketAddress& peer, Bytes data) noexcept override;
  void set_dont_fragment(bool) noexcept override {}

  void deliver(const SocketAddress& peer, Bytes payload) const {
    // Laid out as turnd/net's receive buffers: room before and after the
    // payload for a header and padding written in place, and nothing more.
    if (payload.size() > kMaxDatagram) return;
    std::vector<std::byte> buffer(Server::kPeerHeadroom + payload.size() + Server::kPeerTailroom,
                                  std::byte{0xEE});
    if (!payload.empty()) {
      std::memcpy(buffer.data() + Server::kPeerHeadroom, payload.data(), payload.size());
    }
    sink_.on_peer_packet(context_, peer,
                         MutableBytes(buffer.data() + Server::kPeerHeadroom, payload.size()),
                         Server::kPeerHeadroom, Server::kPeerTailroom);
  }

 private:
  FakeRelayFactory& factory_;
  SocketAddress local_;
  RelaySink& sink_;
  void* context_;
};

class FakeRelayFactory final : public RelayFactory {
 public:
  FakeRelayFactory(const PeerPolicy& peers, bool ipv6) : peers_(peers), ipv6_(ipv6) {}

  bool supports(Family family) const noexcept override {
    return family == Family::kIPv4 || (family == Family::kIPv6 && ipv6_);
  }

  RelayResult open(const RelayRequest& request, RelaySink& sink, void* context) override {
    Family family = request.family;
    uint16_t port = 0;
    uint64_t token = 0;
    if (request.reservation_token != 0) {
      auto it = reserved_.find(request.reservation_token);
      if (it == reserved_.end()) return {nullptr, 0, stun::error::kInsufficientCapacity};
      family = it->second.first;
      port = it->second.second;
      reserved_.erase(it);
    } else {
      if (!supports(family)) return {nullptr, 0, stun::error::kAddressFamilyNotSupported};
      if (request.even_port && next_port_ % 2 != 0) ++next_port_;
      port = next_port_++;
      if (request.reserve_next) {
        token = next_token_++;
        reserved_[token] = {family, next_port_++};
      }
    }
    SocketAddress ip = family == Family::kIPv4 ? relay_v4_ : relay_v6_;
    return {std::make_unique<FakeRelaySocket>(*this, ip.with_port(port), sink, context), token, 0};
  }

  SocketAddress advertised(const SocketAddress& local) const noexcept override { return local; }

  void opened(FakeRelaySocket* s) { open_.push_back(s); }
  void closed(FakeRelaySocket* s) { std::erase(open_, s); }
  const std::vector<FakeRelaySocket*>& open_sockets() const noexcept { return open_; }
  const PeerPolicy& peers() const noexcept { return peers_; }

 private:
  const PeerPolicy& peers_;
  bool ipv6_;
  SocketAddress relay_v4_ = parse("198.18.0.1");
  SocketAddress relay_v6_ = parse("2001:db8:ee::1");
  uint16_t next_port_ = 50000;
  uint64_t next_token_ = 0x0102030405060708ull;
  std::map<uint64_t, std::pair<Family, uint16_t>> reserved_;
  std::vector<FakeRelaySocket*> open_;
};

FakeRelaySocket::FakeRelaySocket(FakeRelayFactory& factory, SocketAddress local, RelaySink& sink,
                                 void* context)
    : factory_(factory), local_(local), sink_(sink), context_(context) {
  factory_.opened(this);
}

FakeRelaySocket::~FakeRelaySocket() {
  factory_.closed(this);
}

bool FakeRelaySocket::send_to(const SocketAddress& peer, Bytes data) noexcept {
  if (peer.family() != local_.family()) violated("relayed to a peer of another family");
  if (!factory_.peers().allows(peer)) violated("relayed to a peer the policy denies");
  if (data.size() > 65535) violated("a relayed datagram over 65535 bytes");
  if (tracing()) {
    std::printf("  -> peer %s from %s: %zu bytes\n", peer.to_string().c_str(),
                local_.to_string().c_str(), data.size());
  }
  return true;
}

// Reads the input front to back; past the end everything reads as zero.
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  bool done() const noexcept { return pos_ >= size_; }
  uint8_t u8() noexcept { return pos_ < size_ ? data_[pos_++] : 0; }
  std::vector<std::byte> bytes() {
    size_t length = static_cast<size_t>(u8()) << 8;
    length |= u8();
    length = std::min(length, size_ - std::min(pos_, size_));
    std::vector<std::byte> out(length);
    if (length != 0) std::memcpy(out.data(), data_ + pos_, length);
    pos_ += length;
    return out;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Sets a STUN message's or a ChannelData message's length field from its size.
void fix_length(std::vector<std::byte>& packet) {
  if (packet.size() < 4) return;
  if ((static_cast<uint8_t>(packet[0]) & 0xC0) == 0x40) {
    store_be16(packet.data() + 2,
               static_cast<uint16_t>(std::min<size_t>(packet.size() - 4, 0xFFFF)));
  } else if (packet.size() >= stun::kHeaderSize) {
    size_t body = std::min<size_t>(packet.size() - stun::kHeaderSize, 0xFFFC);
    store_be16(packet.data() + 2, static_cast<uint16_t>(body));
  }
}

auth::AuthOptions auth_options(bool long_term) {
  auth::AuthOptions options;
  options.realm = "example.org";
  options.lt_cred_mech = long_term;  // off: no-auth, unauthenticated Allocates succeed
  auth::UserKeys& alice = options.users["alice"];
  alice.md5 = auth::md5_key("alice", "example.org", "alice-pass");
  alice.has_sha256 = true;  // MESSAGE-INTEGRITY-SHA256 works too
  alice.sha256 = auth::sha256_key("alice", "example.org", "alice-pass");
  return options;
}

PeerPolicy::Options peer_options() {
  PeerPolicy::Options options;
  options.allowed.push_back(*IpRange::parse("203.0.113.0/24"));
  options.allowed.push_back(*IpRange::parse("2001:db8:1::/48"));
  return options;
}

ServerOptions server_options(uint8_t setup) {
  ServerOptions options;
  options.fingerprint = (setup & 0x02) != 0;
  options.software = (setup & 0x04) != 0;
  options.max_bps = (setup & 0x08) != 0 ? 2000 : 0;
  return options;
}

struct Client {
  FiveTuple udp;
  FiveTuple tcp;
  std::shared_ptr<LinkState> udp_state = std::make_shared<LinkState>();
  std::shared_ptr<LinkState> tcp_state;  // null: no connection open
  std::vector<std::byte> tcp_buffer;
};

class World {
 public:
  explicit World(uint8_t setup)
      : policy_(std::make_shared<const Policy>(clock_, auth_options(setup & 0x01), 600,
                                               std::array<std::byte, 32>{std::byte{42}},
                                               peer_options(), server_options(setup))),
        quota_((setup & 0x20) != 0 ? 2 : 0, (setup & 0x20) != 0 ? 1 : 0),
        total_limit_((setup & 0x20) != 0 ? 2 : 0),
        relays_(policy_->peer_policy, (setup & 0x10) != 0),
        server_(ServerDeps{clock_, relays_, quota_}, policy_) {
    // The steady clock reads the uptime: far from its epoch, as on a real host.
    clock_.advance(Seconds(86400));
    const SocketAddress server_v4 = parse("192.0.2.1:3478");
    const SocketAddress server_v6 = parse("[2001:db8:ff::1]:3478");
    const char* addresses[kClients] = {"192.0.2.10:40000",        "192.0.2.11:40000",
                                       "192.0.2.12:40000",        "192.0.2.13:40000",
                                       "[2001:db8:ff::10]:40000", "[2001:db8:ff::11]:40000"};
    for (size_t i = 0; i < kClients; ++i) {
      SocketAddress client = parse(addresses[i]);
      SocketAddress server = client.is_v4() ? server_v4 : server_v6;
      clients_[i].udp = FiveTuple{client, server, ClientTransport::kUdp};
      clients_[i].tcp = FiveTuple{client, server, ClientTransport::kTcp};
    }
    const char* peers[kPeers] = {"203.0.113.5:4000",     "203.0.113.5:4001",
                                 "203.0.113.6:5000",     "198.51.100.1:6000",
                                 "[2001:db8:1::5]:7000", "[2001:db8:1::6]:7001"};
    for (size_t i = 0; i < kPeers; ++i) peers_[i] = parse(peers[i]);
  }

  void run(Reader& in) {
    while (!in.done()) {
      uint8_t kind = in.u8();
      if (tracing()) std::printf("record kind %u\n", kind % 8);
      switch (kind % 8) {
        case 0:
        case 2:
          udp(in, kind % 8 == 2);
          break;
        case 1:
        case 7:
          tcp(in, kind % 8 == 7);
          break;
        case 3:
          peer(in);
          break;
        case 4: {
          uint8_t s = in.u8();
          clock_.advance(Seconds(s < 128 ? s : (s - 127) * 60));
          break;
        }
        case 5:
          server_.expire();
          break;
        case 6:
          close(clients_[in.u8() % kClients]);
          break;
      }
      check_invariants();
    }
  }

 private:
  void udp(Reader& in, bool fix) {
    Client& c = clients_[in.u8() % kClients];
    std::vector<std::byte> packet = in.bytes();
    if (packet.size() > kMaxDatagram) packet.resize(kMaxDatagram);
    if (fix) fix_length(packet);
    Link link(c.udp_state);  // a UDP link lives for one datagram
    server_.on_client_packet(c.udp, link, packet);
  }

  // Appends to the client's connection and hands the server each whole frame,
  // as turnd/net's stream listener does; a stream that is not TURN is closed.
  void tcp(Reader& in, bool fix) {
    Client& c = clients_[in.u8() % kClients];
    std::vector<std::byte> chunk = in.bytes();
    if (fix) fix_length(chunk);
    if (!c.tcp_state) {
      c.tcp_state = std::make_shared<LinkState>();
      c.tcp_state->stream = true;
      c.tcp_buffer.clear();
    }
    c.tcp_buffer.insert(c.tcp_buffer.end(), chunk.begin(), chunk.end());
    Link link(c.tcp_state);
    size_t used = 0;
    for (;;) {
      size_t length = 0;
      Bytes rest(c.tcp_buffer.data() + used, c.tcp_buffer.size() - used);
      FrameStatus status = next_frame(rest, length);
      if (status == FrameStatus::kInvalid) return close(c);
      if (status == FrameStatus::kNeedMore) break;
      std::vector<std::byte> frame(rest.begin(), rest.begin() + static_cast<ptrdiff_t>(length));
      server_.on_client_packet(c.tcp, link, frame);
      used += length;
    }
    c.tcp_buffer.erase(c.tcp_buffer.begin(), c.tcp_buffer.begin() + static_cast<ptrdiff_t>(used));
  }

  void close(Client& c) {
    if (!c.tcp_state) return;
    server_.on_link_closed(c.tcp);
    c.tcp_state->closed = true;  // any later send on it is a bug
    c.tcp_state.reset();
    c.tcp_buffer.clear();
  }

  void peer(Reader& in) {
    uint8_t relay = in.u8();
    const SocketAddress& from = peers_[in.u8() % kPeers];
    std::vector<std::byte> payload = in.bytes();
    if (payload.size() > kMaxDatagram) payload.resize(kMaxDatagram);
    const auto& open = relays_.open_sockets();
    if (open.empty()) return;
    FakeRelaySocket* socket = open[relay % open.size()];
    if (socket->local_address().family() != from.family()) return;  // cannot arrive
    socket->deliver(from, payload);
  }

  void check_invariants() const {
    size_t allocations = server_.allocation_count();
    if (relays_.open_sockets().size() > 2 * allocations) {
      violated("relay sockets outlive their allocations");
    }
    if (total_limit_ != 0 && allocations > total_limit_) violated("total quota exceeded");
  }

  ManualClock clock_;
  PolicyPtr policy_;
  Quota quota_;
  size_t total_limit_;
  FakeRelayFactory relays_;
  Server server_;  // after what it uses: destroyed before it
  std::array<Client, kClients> clients_;
  std::array<SocketAddress, kPeers> peers_;
};

}  // namespace
}  // namespace turnd::turn::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  turnd::turn::fuzz::Reader in(data + 1, size - 1);
  turnd::turn::fuzz::World world(data[0]);
  world.run(in);
  return 0;
}

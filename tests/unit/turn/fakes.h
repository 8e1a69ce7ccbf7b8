// In-memory fakes for turn::Server unit tests, header-only:
//   FakeLink          a ClientLink that records every message it is sent;
//   FakeRelayFactory  a RelayFactory whose sockets (203.0.113.1:50000+n, and
//                     [2001:db8::1]:50000+n when IPv6 is on) record send_to
//                     calls, honour EVEN-PORT and reservation tokens, and can
//                     deliver peer datagrams laid out as turnd/net does;
//   Harness           a Server wired to a ManualClock, an Authenticator with
//                     two users (or REST secrets), a NonceIssuer, the default
//                     PeerPolicy, a Quota and the fake factory.
// The STUN client that drives a Harness is in stun_client.h.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "turnd/auth/authenticator.h"
#include "turnd/auth/keys.h"
#include "turnd/auth/nonce.h"
#include "turnd/common/clock.h"
#include "turnd/stun/message.h"
#include "turnd/turn/peer_policy.h"
#include "turnd/turn/quota.h"
#include "turnd/turn/server.h"

namespace turnd::turn::test {

using ByteVector = std::vector<std::byte>;

inline constexpr std::string_view kRealm = "example.org";
inline constexpr std::string_view kServerAddress = "192.0.2.1:3478";
// Globally reachable peers the default PeerPolicy allows.
inline constexpr std::string_view kPeerA = "8.8.8.8:4000";
inline constexpr std::string_view kPeerB = "1.1.1.1:5000";
inline constexpr std::string_view kPeerV6 = "[2606:4700:4700::1111]:6000";

inline ByteVector to_vector(Bytes bytes) {
  return ByteVector(bytes.begin(), bytes.end());
}
inline ByteVector bytes_of(std::string_view text) {
  return to_vector(as_bytes(text));
}
inline ByteVector pattern(size_t size, uint8_t seed = 1) {
  ByteVector out(size);
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<std::byte>(seed + i * 7);
  return out;
}

inline SocketAddress addr(std::string_view text) {
  auto parsed = SocketAddress::parse(text);
  if (!parsed) throw std::invalid_argument("bad test address: " + std::string(text));
  return *parsed;
}

inline FiveTuple make_tuple(std::string_view client,
                            ClientTransport transport = ClientTransport::kUdp,
                            std::string_view server = kServerAddress) {
  return FiveTuple{addr(client), addr(server), transport};
}

// ---------------------------------------------------------------------------
// Client links.

// What a ClientLink and all its retained copies have been sent.
struct LinkLog {
  std::vector<ByteVector> sent;
  size_t retained = 0;  // live handles made by retain()
};

class FakeLink final : public ClientLink {
 public:
  FakeLink() : log_(std::make_shared<LinkLog>()) {}
  // Another handle writing to the same log (a UDP link made for one datagram).
  explicit FakeLink(std::shared_ptr<LinkLog> log) : log_(std::move(log)) {}
  ~FakeLink() override {
    if (retained_) --log_->retained;
  }
  FakeLink(const FakeLink&) = delete;
  FakeLink& operator=(const FakeLink&) = delete;

  void send(Bytes message) noexcept override { log_->sent.push_back(to_vector(message)); }
  std::unique_ptr<ClientLink> retain() const override {
    auto copy = std::make_unique<FakeLink>(log_);
    copy->retained_ = true;
    ++log_->retained;
    return copy;
  }

  const std::shared_ptr<LinkLog>& log() const noexcept { return log_; }

 private:
  std::shared_ptr<LinkLog> log_;
  bool retained_ = false;
};

// ---------------------------------------------------------------------------
// Relay side.

// What one fake relay socket saw; outlives the socket so tests can look at it
// after the Server dropped the allocation.
struct FakeRelaySocketState {
  SocketAddress local;
  RelayRequest request;
  RelaySink* sink = nullptr;
  void* context = nullptr;  // what the Server passed to RelayFactory::open
  bool open = true;
  bool dont_fragment = false;
  bool refuse_sends = false;  // send_to returns false, as when the kernel refuses
  std::vector<std::pair<SocketAddress, ByteVector>> sent;

  // A datagram from `peer` handed to the Server the way turnd/net does it:
  // in a buffer with `headroom` bytes before the payload and `tailroom` after
  // it. The spare room is filled with junk so the Server must write it all.
  void deliver(const SocketAddress& peer, Bytes payload, size_t headroom = Server::kPeerHeadroom,
               size_t tailroom = Server::kPeerTailroom) const {
    if (!open) {
      ADD_FAILURE() << "delivering to a closed relay socket " << local.to_string();
      return;
    }
    ByteVector buffer(headroom + payload.size() + tailroom, std::byte{0xEE});
    std::copy(payload.begin(), payload.end(), buffer.begin() + static_cast<ptrdiff_t>(headroom));
    sink->on_peer_packet(context, peer, MutableBytes(buffer.data() + headroom, payload.size()),
                         headroom, tailroom);
  }
};

class FakeRelaySocket final : public RelaySocket {
 public:
  explicit FakeRelaySocket(std::shared_ptr<FakeRelaySocketState> state)
      : state_(std::move(state)) {}
  ~FakeRelaySocket() override { state_->open = false; }

  const SocketAddress& local_address() const noexcept override { return state_->local; }
  bool send_to(const SocketAddress& peer, Bytes data) noexcept override {
    if (state_->refuse_sends) return false;
    state_->sent.emplace_back(peer, to_vector(data));
    return true;
  }
  void set_dont_fragment(bool on) noexcept override { state_->dont_fragment = on; }

 private:
  std::shared_ptr<FakeRelaySocketState> state_;
};

class FakeRelayFactory final : public RelayFactory {
 public:
  static constexpr uint16_t kFirstPort = 50000;

  bool ipv6 = false;                         // supports(kIPv6)
  uint16_t fail_with = 0;                    // non-zero: open() fails with this STUN code
  uint16_t fail_ipv6_with = 0;               // the same, for IPv6 relays only
  std::optional<SocketAddress> external_v4;  // advertised() maps IPv4 relays to this IP
  std::vector<std::shared_ptr<FakeRelaySocketState>> sockets;  // every socket ever opened
  std::vector<RelayRequest> requests;                          // every open() call

  bool supports(Family family) const noexcept override {
    return family == Family::kIPv4 || (family == Family::kIPv6 && ipv6);
  }

  RelayResult open(const RelayRequest& request, RelaySink& sink, void* context) override {
    requests.push_back(request);
    if (fail_with != 0) return {nullptr, 0, fail_with};
    if (fail_ipv6_with != 0 && request.family == Family::kIPv6) return {nullptr, 0, fail_ipv6_with};
    uint16_t port = 0;
    uint64_t token = 0;
    Family family = request.family;
    if (request.reservation_token != 0) {
      auto it = reserved_.find(request.reservation_token);
      if (it == reserved_.end()) return {nullptr, 0, stun::error::kInsufficientCapacity};
      std::tie(family, port) = it->second;
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
    auto state = std::make_shared<FakeRelaySocketState>();
    state->local = addr(family == Family::kIPv4 ? "203.0.113.1" : "2001:db8::1").with_port(port);
    state->request = request;
    state->sink = &sink;
    state->context = context;
    sockets.push_back(state);
    return {std::make_unique<FakeRelaySocket>(state), token, 0};
  }

  SocketAddress advertised(const SocketAddress& local) const noexcept override {
    if (external_v4 && local.is_v4()) return external_v4->with_port(local.port());
    return local;
  }

  size_t open_count() const {
    return static_cast<size_t>(
        std::count_if(sockets.begin(), sockets.end(), [](const auto& s) { return s->open; }));
  }
  // The open sockets of the allocation `context`, in the order they were opened.
  std::vector<FakeRelaySocketState*> sockets_of(const void* context) const {
    std::vector<FakeRelaySocketState*> out;
    for (const auto& s : sockets) {
      if (s->open && s->context == context) out.push_back(s.get());
    }
    return out;
  }

 private:
  uint16_t next_port_ = kFirstPort;
  uint64_t next_token_ = 0x0102030405060708ull;
  std::map<uint64_t, std::pair<Family, uint16_t>> reserved_;
};

// ---------------------------------------------------------------------------
// The Server and everything it depends on.

struct HarnessConfig {
  bool long_term = true;             // lt-cred-mech with alice and bob
  std::vector<std::string> secrets;  // non-empty: use-auth-secret with these
  std::string sfu_secret;            // the browsers' credentials (SFU-only)
  uint32_t nonce_lifetime = 600;
  PeerPolicy::Options policy;
  uint32_t total_quota = 0;
  uint32_t user_quota = 0;
  bool ipv6 = false;
  ServerOptions server;
  SessionObserver* sessions = nullptr;
  LocalPeers* local_peers = nullptr;
};

inline const std::map<std::string, std::string>& test_users() {
  static const std::map<std::string, std::string> users = {{"alice", "alice-pass"},
                                                           {"bob", "bob-pass"}};
  return users;
}

inline auth::AuthOptions make_auth_options(const HarnessConfig& config) {
  auth::AuthOptions options;
  options.realm = std::string(kRealm);
  options.lt_cred_mech = config.long_term;
  options.use_auth_secret = !config.secrets.empty();
  options.secrets = config.secrets;
  options.sfu_secret = config.sfu_secret;
  for (const auto& [name, password] : test_users()) {
    options.users[name].md5 = auth::md5_key(name, kRealm, password);
  }
  return options;
}

class Harness {
 public:
  explicit Harness(HarnessConfig config = {})
      : snapshot(std::make_shared<const Policy>(
            clock, make_auth_options(config), config.nonce_lifetime,
            std::array<std::byte, 32>{std::byte{42}}, config.policy, config.server)),
        quota(config.total_quota, config.user_quota),
        server(ServerDeps{clock, relays, quota, config.sessions, config.local_peers}, snapshot) {
    relays.ipv6 = config.ipv6;
  }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  void advance(int64_t seconds) { clock.advance(Seconds(seconds)); }
  const Metrics& metrics() const { return server.metrics(); }

  stun::TransactionId next_transaction_id() {
    stun::TransactionId id;
    ++transactions_;
    std::memcpy(id.bytes.data(), "turndtst", 8);
    store_be32(id.bytes.data() + 8, transactions_);
    return id;
  }

  ManualClock clock;
  PolicyPtr snapshot;
  FakeRelayFactory relays;
  Quota quota;
  Server server;

 private:
  uint32_t transactions_ = 0;
};

}  // namespace turnd::turn::test

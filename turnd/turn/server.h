// Server: one worker's TURN/STUN logic (RFC 8489, RFC 8656, RFC 6156). It
// owns the worker's allocations and sees the network only through ClientLink,
// RelaySocket and RelayFactory, so it runs the same over real sockets and in
// unit tests. Not thread-safe by design: each worker has its own Server.
//
// Data flow:
//   client datagram/frame -> on_client_packet -> STUN request handlers
//                                             -> ChannelData / Send -> RelaySocket::send_to
//   peer datagram -> on_peer_packet -> ChannelData / Data indication -> ClientLink::send
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "turnd/auth/auth_throttle.h"
#include "turnd/auth/authenticator.h"
#include "turnd/auth/nonce.h"
#include "turnd/common/clock.h"
#include "turnd/stun/integrity.h"
#include "turnd/stun/message.h"
#include "turnd/turn/allocation.h"
#include "turnd/turn/io.h"
#include "turnd/turn/local_peer.h"
#include "turnd/turn/metrics.h"
#include "turnd/turn/peer_policy.h"
#include "turnd/turn/policy.h"
#include "turnd/turn/quota.h"
#include "turnd/turn/session_observer.h"

namespace turnd::turn {

// Everything a Server needs from outside, owned by the caller.
struct ServerDeps {
  const Clock& clock;
  RelayFactory& relays;
  Quota& quota;
  SessionObserver* sessions = nullptr;  // null: no session log
  LocalPeers* local_peers = nullptr;    // null: no in-process peers (no SFU)
};

class Server final : public RelaySink, public ClientPacketHandler {
 public:
  // Room a receive buffer should leave before the payload so a Data
  // indication header can be written in place (20 + 24 + 4, rounded up).
  static constexpr size_t kPeerHeadroom = 64;
  static constexpr size_t kPeerTailroom = 16;

  Server(ServerDeps deps, PolicyPtr policy);
  ~Server() override;
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // One datagram (UDP) or one frame (TCP/TLS): STUN or ChannelData.
  // `data` may be modified in place.
  void on_client_packet(const FiveTuple& tuple, ClientLink& link,
                        MutableBytes data) noexcept override;
  // A TCP/TLS client went away: its allocation goes with it (RFC 8656 §5).
  void on_link_closed(const FiveTuple& tuple) noexcept override;
  bool has_allocation(const FiveTuple& tuple) const noexcept override {
    return allocations_.count(tuple) != 0;
  }
  // Deletes expired allocations (closing their TCP/TLS connections), expired
  // permissions and channels; call about once a second.
  void expire() noexcept;

  void on_peer_packet(void* context, const SocketAddress& peer, MutableBytes data, size_t headroom,
                      size_t tailroom) noexcept override;

  // Switches to a reloaded Policy; existing allocations keep running.
  void set_policy(PolicyPtr policy) noexcept { policy_ = std::move(policy); }
  const Policy& policy() const noexcept { return *policy_; }

  const Metrics& metrics() const noexcept { return metrics_; }
  size_t allocation_count() const noexcept { return allocations_.size(); }
  const Allocation* find(const FiveTuple& tuple) const noexcept;
  // Wrong passwords of `source` for `username` still counted by the throttle.
  uint32_t auth_failures(const SocketAddress& source, std::string_view username) const noexcept {
    return auth_throttle_.failures(source, username, deps_.clock.now());
  }

 private:
  struct Request;

  void handle_stun(const FiveTuple& tuple, ClientLink& link, Bytes data) noexcept;
  void handle_channel_data(const FiveTuple& tuple, MutableBytes data) noexcept;
  void handle_binding(Request& r) noexcept;
  void handle_allocate(Request& r) noexcept;
  void handle_refresh(Request& r) noexcept;
  void handle_create_permission(Request& r) noexcept;
  void handle_channel_bind(Request& r) noexcept;
  void handle_send(const FiveTuple& tuple, const stun::MessageView& message) noexcept;
  bool reject_unknown_attributes(Request& r) noexcept;
  bool has_unknown(const Request& r) const noexcept;

  // Long-term credentials (RFC 8489 §9.2.4); answers the error itself.
  // Runs before every TURN handler, which may then rely on r.key.
  bool authenticate(Request& r) noexcept;
  void send_error(Request& r, uint16_t code) noexcept;
  void send_challenge(Request& r, uint16_t code) noexcept;
  void send_allocate_success(Request& r, Allocation& a) noexcept;
  stun::MessageBuilder start_response(Request& r, stun::MessageClass cls) noexcept;
  void finish_response(Request& r, stun::MessageBuilder& b) noexcept;
  uint32_t granted_lifetime(const stun::MessageView& m, bool& zero_requested) const noexcept;
  bool peer_usable(Request& r, const SocketAddress& peer, uint16_t& error) noexcept;
  // The peer policy, except that in-process peers (the SFU) are always allowed.
  bool peer_allowed(const Allocation& a, const SocketAddress& peer) const noexcept;

  void delete_allocation(const FiveTuple& tuple, EndReason reason) noexcept;
  void forget(const Allocation& a, EndReason reason) noexcept;
  Allocation::SessionId next_session_id() noexcept;
  void send_to_peer(Allocation& a, const SocketAddress& peer, Bytes payload,
                    SteadyTime now) noexcept;
  void count_from_peer(Allocation& a, size_t bytes) noexcept;
  void next_transaction_id(std::span<std::byte> out) noexcept;

  ServerDeps deps_;
  PolicyPtr policy_;
  Metrics metrics_;
  stun::MacContext mac_;
  auth::AuthThrottle auth_throttle_;
  std::unordered_map<FiveTuple, std::unique_ptr<Allocation>, FiveTupleHash> allocations_;
  std::array<std::byte, 2048> scratch_{};    // responses are built here
  std::array<std::byte, 32> request_key_{};  // the key of the request being answered
  uint64_t id_state_ = 0;
};

}  // namespace turnd::turn

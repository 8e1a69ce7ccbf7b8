// Allocation (RFC 8656 §2.2, §5): a client's relayed transport address(es)
// with their permissions and channel bindings. Owned by one worker's Server;
// only that worker's thread touches it, so nothing here locks.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "turnd/auth/authenticator.h"
#include "turnd/common/clock.h"
#include "turnd/stun/message.h"
#include "turnd/turn/io.h"

namespace turnd::turn {

struct Permission {
  SocketAddress peer_ip;  // port ignored (RFC 8656 §9)
  SteadyTime expires;
};

// What an allocation relayed, for its session log row.
struct Traffic {
  uint64_t bytes_from_client = 0;  // payload bytes relayed to peers
  uint64_t packets_from_client = 0;
  uint64_t bytes_to_client = 0;  // payload bytes relayed from peers
  uint64_t packets_to_client = 0;
};

struct Channel {
  uint16_t number = 0;
  SocketAddress peer;  // IP and port
  SteadyTime expires;
};

class Allocation {
 public:
  static constexpr size_t kMaxPermissions = 128;
  static constexpr size_t kMaxChannels = 64;

  Allocation(FiveTuple tuple, std::unique_ptr<ClientLink> link, std::string username,
             const stun::TransactionId& allocate_id);

  const FiveTuple& tuple() const noexcept { return tuple_; }
  ClientLink& link() const noexcept { return *link_; }
  const std::string& username() const noexcept { return username_; }
  // Made with a browser's credential (auth::AuthOptions::sfu_secret): it may
  // relay to the SFU and nowhere else.
  bool sfu_only() const noexcept { return sfu_only_; }
  void set_sfu_only() noexcept { sfu_only_ = true; }
  const stun::TransactionId& allocate_id() const noexcept { return allocate_id_; }

  // The session log's identity of this allocation (a random UUID) and when it
  // started (Unix seconds).
  using SessionId = std::array<std::byte, 16>;
  const SessionId& session_id() const noexcept { return session_id_; }
  int64_t started_unix() const noexcept { return started_unix_; }
  void set_session(const SessionId& id, int64_t started_unix) noexcept {
    session_id_ = id;
    started_unix_ = started_unix;
  }
  Traffic& traffic() noexcept { return traffic_; }
  const Traffic& traffic() const noexcept { return traffic_; }

  // The key that authenticated the Allocate; later requests must use it too.
  void set_key(Bytes key, stun::MacAlgorithm algorithm) noexcept;
  Bytes key() const noexcept { return {key_.data(), key_length_}; }
  stun::MacAlgorithm algorithm() const noexcept { return algorithm_; }

  void add_relay(std::unique_ptr<RelaySocket> socket) noexcept;
  RelaySocket* relay_for(Family family) const noexcept;
  size_t relay_count() const noexcept { return relay_count_; }
  RelaySocket& relay(size_t i) const noexcept { return *relays_[i]; }
  bool has_family(Family family) const noexcept { return relay_for(family) != nullptr; }

  uint64_t reservation_token() const noexcept { return reservation_token_; }
  void set_reservation_token(uint64_t token) noexcept { reservation_token_ = token; }
  // Why the IPv6 relay asked for with ADDITIONAL-ADDRESS-FAMILY is missing
  // (0: it is not); a retransmitted Allocate must say it again.
  uint16_t additional_family_error() const noexcept { return additional_family_error_; }
  void set_additional_family_error(uint16_t code) noexcept { additional_family_error_ = code; }

  SteadyTime expires() const noexcept { return expires_; }
  void set_expires(SteadyTime t) noexcept { expires_ = t; }

  // Permissions (RFC 8656 §9): installing an existing one refreshes it.
  bool has_permission(const SocketAddress& peer, SteadyTime now) const noexcept;
  bool install_permission(const SocketAddress& peer, SteadyTime expires);
  // How many more permissions fit (expired ones still hold a slot until expire()).
  size_t permission_room() const noexcept { return kMaxPermissions - permissions_.size(); }
  bool has_permission_entry(const SocketAddress& peer) const noexcept;

  // Channels (RFC 8656 §12).
  const Channel* channel_by_number(uint16_t number, SteadyTime now) const noexcept;
  const Channel* channel_by_peer(const SocketAddress& peer, SteadyTime now) const noexcept;
  // Binds or refreshes; false if the number or the peer is bound otherwise,
  // or there is no room for one more channel.
  enum class BindResult : uint8_t { kOk, kConflict, kFull };
  BindResult bind_channel(uint16_t number, const SocketAddress& peer, SteadyTime expires);

  // Drops expired permissions and channels.
  void expire(SteadyTime now);

  // max-bps: a token bucket shared by both directions; false = drop.
  bool take_bandwidth(size_t bytes, uint32_t bytes_per_second, SteadyTime now) noexcept;

  size_t permission_count() const noexcept { return permissions_.size(); }
  size_t channel_count() const noexcept { return channels_.size(); }

 private:
  FiveTuple tuple_;
  std::unique_ptr<ClientLink> link_;
  std::string username_;
  bool sfu_only_ = false;
  stun::TransactionId allocate_id_;
  SessionId session_id_{};
  int64_t started_unix_ = 0;
  Traffic traffic_;
  std::array<std::byte, 32> key_{};
  size_t key_length_ = 0;
  stun::MacAlgorithm algorithm_{};
  std::array<std::unique_ptr<RelaySocket>, 2> relays_;
  size_t relay_count_ = 0;
  SteadyTime expires_{};
  uint64_t reservation_token_ = 0;
  uint16_t additional_family_error_ = 0;
  std::vector<Permission> permissions_;
  std::vector<Channel> channels_;
  double tokens_ = 0;
  SteadyTime tokens_at_{};
};

}  // namespace turnd::turn

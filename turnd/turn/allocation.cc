#include "turnd/turn/allocation.h"

#include <algorithm>
#include <cstring>

namespace turnd::turn {

Allocation::Allocation(FiveTuple tuple, std::unique_ptr<ClientLink> link, std::string username,
                       const stun::TransactionId& allocate_id)
    : tuple_(tuple),
      link_(std::move(link)),
      username_(std::move(username)),
      allocate_id_(allocate_id) {}

void Allocation::set_key(Bytes key, stun::MacAlgorithm algorithm) noexcept {
  key_length_ = std::min(key.size(), key_.size());
  if (key_length_ != 0) std::memcpy(key_.data(), key.data(), key_length_);
  algorithm_ = algorithm;
}

void Allocation::add_relay(std::unique_ptr<RelaySocket> socket) noexcept {
  if (relay_count_ < relays_.size()) relays_[relay_count_++] = std::move(socket);
}

RelaySocket* Allocation::relay_for(Family family) const noexcept {
  for (size_t i = 0; i < relay_count_; ++i) {
    if (relays_[i]->local_address().family() == family) return relays_[i].get();
  }
  return nullptr;
}

bool Allocation::has_permission(const SocketAddress& peer, SteadyTime now) const noexcept {
  for (const Permission& p : permissions_) {
    if (p.expires > now && p.peer_ip.same_ip(peer)) return true;
  }
  return false;
}

bool Allocation::has_permission_entry(const SocketAddress& peer) const noexcept {
  for (const Permission& p : permissions_) {
    if (p.peer_ip.same_ip(peer)) return true;
  }
  return false;
}

bool Allocation::install_permission(const SocketAddress& peer, SteadyTime expires) {
  for (Permission& p : permissions_) {
    if (p.peer_ip.same_ip(peer)) {
      p.expires = expires;
      return true;
    }
  }
  if (permissions_.size() >= kMaxPermissions) return false;
  permissions_.push_back({peer.with_port(0), expires});
  return true;
}

const Channel* Allocation::channel_by_number(uint16_t number, SteadyTime now) const noexcept {
  for (const Channel& c : channels_) {
    if (c.number == number) return c.expires > now ? &c : nullptr;
  }
  return nullptr;
}

const Channel* Allocation::channel_by_peer(const SocketAddress& peer,
                                           SteadyTime now) const noexcept {
  for (const Channel& c : channels_) {
    if (c.peer == peer) return c.expires > now ? &c : nullptr;
  }
  return nullptr;
}

Allocation::BindResult Allocation::bind_channel(uint16_t number, const SocketAddress& peer,
                                                SteadyTime expires) {
  for (Channel& c : channels_) {
    bool same_number = c.number == number;
    bool same_peer = c.peer == peer;
    if (same_number && same_peer) {
      c.expires = expires;
      return BindResult::kOk;
    }
    // RFC 8656 §12: a binding, even an expired one, holds its number and
    // peer for 5 more minutes; expire() removes it after that.
    if (same_number || same_peer) return BindResult::kConflict;
  }
  if (channels_.size() >= kMaxChannels) return BindResult::kFull;
  channels_.push_back({number, peer, expires});
  return BindResult::kOk;
}

void Allocation::expire(SteadyTime now) {
  std::erase_if(permissions_, [now](const Permission& p) { return p.expires <= now; });
  // Keep an expired channel reserved for 5 minutes (RFC 8656 §12).
  std::erase_if(channels_, [now](const Channel& c) { return c.expires + Seconds(300) <= now; });
}

bool Allocation::take_bandwidth(size_t bytes, uint32_t bytes_per_second, SteadyTime now) noexcept {
  if (bytes_per_second == 0) return true;
  double elapsed = std::chrono::duration<double>(now - tokens_at_).count();
  tokens_at_ = now;
  // Allow one second's worth of burst.
  tokens_ = std::min<double>(bytes_per_second, tokens_ + elapsed * bytes_per_second);
  if (tokens_ < static_cast<double>(bytes)) return false;
  tokens_ -= static_cast<double>(bytes);
  return true;
}

}  // namespace turnd::turn

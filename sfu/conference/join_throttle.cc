#include "sfu/conference/join_throttle.h"

#include <algorithm>
#include <cmath>

namespace turnd::sfu::conference {
namespace {

constexpr Seconds kSweepInterval{10};

template <typename Map, typename Key>
typename Map::mapped_type* find(Map& map, const Key& key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &it->second;
}

// The entry for `key`, made if there is room for it; nullptr when not.
template <typename Map, typename Key>
typename Map::mapped_type* find_or_add(Map& map, const Key& key, size_t max_entries,
                                       SteadyTime now) {
  if (auto* b = find(map, key)) return b;
  if (map.size() >= max_entries) return nullptr;
  auto& b = map[typename Map::key_type(key)];
  b.at = now;
  return &b;
}

}  // namespace

uint32_t JoinThrottle::Bucket::failures() const noexcept {
  return static_cast<uint32_t>(std::ceil(level - 1e-9));
}

void JoinThrottle::Bucket::update(SteadyTime now, Seconds drain) noexcept {
  if (now <= at) return;
  double leaked = std::chrono::duration<double>(now - at) / drain;
  level = std::max(0.0, level - leaked);
  at = now;
}

Milliseconds JoinThrottle::delay(const Bucket* b, const Level& level) const noexcept {
  if (b == nullptr) return Milliseconds(0);
  uint32_t failures = b->failures();
  if (failures < level.free) return Milliseconds(0);
  uint32_t doublings = std::min(failures - level.free, 30u);
  auto d = level.first_delay * (int64_t{1} << doublings);
  return std::min(d, level.max_delay);
}

JoinThrottle::Decision JoinThrottle::submit(const SocketAddress& source, std::string_view room,
                                            SteadyTime now) {
  sweep(now);
  Bucket* host = find_or_add(hosts_, ClientKey::host(source), limits_.max_entries, now);
  Bucket* network = find(networks_, ClientKey::network(source));
  Bucket* room_bucket = find(rooms_, std::string(room));
  for (auto [b, level] : {std::pair{host, &limits_.host}, std::pair{network, &limits_.network},
                          std::pair{room_bucket, &limits_.room}}) {
    if (b != nullptr) b->update(now, level->drain);
  }
  Decision d;
  if (host != nullptr && limits_.host.refuse_at > 0 && host->failures() >= limits_.host.refuse_at) {
    d.verdict = Verdict::kThrottled;
    return d;
  }
  // Checks under way may all be wrong: they must not carry the host past
  // refuse_at together (the page retries `busy` in a moment).
  if (host != nullptr && (host->pending >= limits_.max_pending ||
                          (limits_.host.refuse_at > 0 &&
                           host->failures() + host->pending >= limits_.host.refuse_at))) {
    d.verdict = Verdict::kBusy;
    return d;
  }
  d.delay = std::max({delay(host, limits_.host), delay(network, limits_.network),
                      delay(room_bucket, limits_.room)});
  d.low_priority = d.delay > Milliseconds(0) || host == nullptr;
  if (host != nullptr) ++host->pending;
  return d;
}

bool JoinThrottle::refused(const SocketAddress& source, SteadyTime now) {
  Bucket* host = find(hosts_, ClientKey::host(source));
  if (host == nullptr || limits_.host.refuse_at == 0) return false;
  host->update(now, limits_.host.drain);
  return host->failures() >= limits_.host.refuse_at;
}

void JoinThrottle::finished(const SocketAddress& source, std::string_view room, bool wrong,
                            SteadyTime now) {
  Bucket* host = find(hosts_, ClientKey::host(source));
  if (host != nullptr && host->pending > 0) --host->pending;
  if (!wrong) return;
  Bucket* network = find_or_add(networks_, ClientKey::network(source), limits_.max_entries, now);
  Bucket* room_bucket = find_or_add(rooms_, std::string(room), limits_.max_entries, now);
  for (auto [b, level] : {std::pair{host, &limits_.host}, std::pair{network, &limits_.network},
                          std::pair{room_bucket, &limits_.room}}) {
    if (b == nullptr) continue;
    b->update(now, level->drain);
    b->level += 1;
  }
}

uint32_t JoinThrottle::pending(const SocketAddress& source) const {
  auto it = hosts_.find(ClientKey::host(source));
  return it == hosts_.end() ? 0 : it->second.pending;
}

// Entries that have drained empty and have nothing under way are forgotten.
void JoinThrottle::sweep(SteadyTime now) {
  if (now - last_sweep_ < kSweepInterval) return;
  last_sweep_ = now;
  auto drained = [now](auto& map, Seconds drain) {
    for (auto it = map.begin(); it != map.end();) {
      it->second.update(now, drain);
      it = it->second.level <= 0 && it->second.pending == 0 ? map.erase(it) : std::next(it);
    }
  };
  drained(hosts_, limits_.host.drain);
  drained(networks_, limits_.network.drain);
  drained(rooms_, limits_.room.drain);
}

}  // namespace turnd::sfu::conference

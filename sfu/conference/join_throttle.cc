#include "sfu/conference/join_throttle.h"

namespace turnd::sfu::conference {

uint32_t JoinThrottle::current(const Count& c, SteadyTime now, Seconds window) {
  return now - c.window_start >= window ? 0 : c.failures;
}

bool JoinThrottle::allowed(const SocketAddress& source, const std::string& room, SteadyTime now) {
  auto s = sources_.find(source.ip_string());
  if (s != sources_.end() && current(s->second, now, limits_.window) >= limits_.per_source) {
    return false;
  }
  auto r = rooms_.find(room);
  return r == rooms_.end() || current(r->second, now, limits_.window) < limits_.per_room;
}

void JoinThrottle::record_failure(const SocketAddress& source, const std::string& room,
                                  SteadyTime now) {
  forget_old(now);
  for (Count* c : {&sources_[source.ip_string()], &rooms_[room]}) {
    if (now - c->window_start >= limits_.window) *c = Count{0, now};
    ++c->failures;
  }
}

// Bounded memory: entries whose window has passed are dropped once a window.
void JoinThrottle::forget_old(SteadyTime now) {
  if (now - last_sweep_ < limits_.window) return;
  last_sweep_ = now;
  for (auto* map : {&sources_, &rooms_}) {
    std::erase_if(*map,
                  [&](const auto& kv) { return now - kv.second.window_start >= limits_.window; });
  }
}

}  // namespace turnd::sfu::conference

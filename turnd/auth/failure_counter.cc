#include "turnd/auth/failure_counter.h"

#include <cstring>

namespace turnd::auth {

FailureCounter::FailureCounter(size_t slots) : slots_(slots == 0 ? 1 : slots) {}

bool FailureCounter::matches(const Slot& slot, const SocketAddress& source) noexcept {
  auto ip = source.ip_bytes();
  return slot.ip_length == ip.size() && std::memcmp(slot.ip.data(), ip.data(), ip.size()) == 0;
}

FailureCounter::Slot& FailureCounter::slot_for(const SocketAddress& source) noexcept {
  return slots_[source.with_port(0).hash() % slots_.size()];
}

const FailureCounter::Slot& FailureCounter::slot_for(const SocketAddress& source) const noexcept {
  return slots_[source.with_port(0).hash() % slots_.size()];
}

uint32_t FailureCounter::record(const SocketAddress& source, SteadyTime now) noexcept {
  Slot& slot = slot_for(source);
  if (!matches(slot, source) || now - slot.window_start >= kWindow) {
    // A new source (or a collision: the newest source wins) or a new window.
    auto ip = source.ip_bytes();
    std::memcpy(slot.ip.data(), ip.data(), ip.size());
    slot.ip_length = static_cast<uint8_t>(ip.size());
    slot.failures = 0;
    slot.window_start = now;
  }
  return ++slot.failures;
}

uint32_t FailureCounter::count(const SocketAddress& source, SteadyTime now) const noexcept {
  const Slot& slot = slot_for(source);
  if (!matches(slot, source) || now - slot.window_start >= kWindow) return 0;
  return slot.failures;
}

}  // namespace turnd::auth

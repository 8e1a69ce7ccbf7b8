// FailureCounter: authentication failures per client IP within a sliding
// window, in a fixed-size table (no allocation after construction, bounded
// memory whatever the number of sources). One per worker, so no locks; the
// kernel keeps a client on one worker. Throttling reads count() (not yet
// enforced: failures are counted, logged and exported).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "turnd/common/address.h"
#include "turnd/common/clock.h"

namespace turnd::auth {

class FailureCounter {
 public:
  static constexpr Seconds kWindow{60};

  explicit FailureCounter(size_t slots = 4096);

  // Records one failure and returns the source's count within the window.
  uint32_t record(const SocketAddress& source, SteadyTime now) noexcept;
  uint32_t count(const SocketAddress& source, SteadyTime now) const noexcept;

 private:
  struct Slot {
    std::array<std::byte, 16> ip{};
    uint8_t ip_length = 0;
    uint32_t failures = 0;
    SteadyTime window_start{};
  };
  Slot& slot_for(const SocketAddress& source) noexcept;
  const Slot& slot_for(const SocketAddress& source) const noexcept;
  static bool matches(const Slot& slot, const SocketAddress& source) noexcept;

  std::vector<Slot> slots_;
};

}  // namespace turnd::auth

// SessionObserver: told when an allocation starts and ends, so that the
// session log (turnd/server/session_log.h) can record it. Called on the
// worker's thread, once per allocation event — never per packet — and must
// not block: the implementation queues the event for the database thread.
#pragma once

#include <cstdint>

namespace turnd::turn {

class Allocation;

// Why an allocation ended; the names are allocation_log.end_reason's.
enum class EndReason : uint8_t {
  kClient,            // Refresh with LIFETIME 0
  kExpired,           // its lifetime ran out
  kConnectionClosed,  // its TCP/TLS connection went away
  kShutdown,          // turnd stopped
};

const char* end_reason_name(EndReason reason) noexcept;

class SessionObserver {
 public:
  virtual ~SessionObserver() = default;
  virtual void on_allocation_started(const Allocation& a) noexcept = 0;
  // `a` still holds its final traffic counters.
  virtual void on_allocation_ended(const Allocation& a, EndReason reason) noexcept = 0;
};

}  // namespace turnd::turn

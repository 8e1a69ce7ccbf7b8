#include "turnd/turn/session_observer.h"

namespace turnd::turn {

const char* end_reason_name(EndReason reason) noexcept {
  switch (reason) {
    case EndReason::kClient:
      return "client";
    case EndReason::kExpired:
      return "expired";
    case EndReason::kConnectionClosed:
      return "connection-closed";
    case EndReason::kShutdown:
      return "shutdown";
  }
  return "error";
}

}  // namespace turnd::turn

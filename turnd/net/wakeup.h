// Wakeup: another thread's way to make this loop run a callback — an eventfd
// watched by the loop. notify() is thread-safe and cheap to repeat (the
// counter just grows); callers batch it to once per loop round, so there is
// no syscall per packet.
#pragma once

#include <functional>
#include <memory>

#include "turnd/net/event_loop.h"
#include "turnd/net/udp.h"

namespace turnd::net {

class Wakeup {
 public:
  // Throws std::runtime_error when no eventfd can be made.
  Wakeup(EventBase& base, std::function<void()> callback);
  void notify() noexcept;

 private:
  Fd fd_;
  std::function<void()> callback_;
  std::unique_ptr<Event> event_;
};

}  // namespace turnd::net

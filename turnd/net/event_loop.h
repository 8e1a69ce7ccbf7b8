// RAII owners of libevent handles. turnd/net is the only place that includes
// <event2/...>; the rest of turnd sees these small types.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

struct event_base;
struct event;

namespace turnd::net {

// Call once before any thread uses libevent (locking for cross-thread exits).
void init_libevent_threads();

class EventBase {
 public:
  EventBase();
  ~EventBase();
  EventBase(const EventBase&) = delete;
  EventBase& operator=(const EventBase&) = delete;

  event_base* get() const noexcept { return base_; }
  int dispatch();  // runs until stop() or nothing is left to wait for
  // Waits for events, runs every callback that became ready, returns. Lets
  // the owner do end-of-iteration work (batched sends) between rounds.
  void run_once();
  void stop() noexcept;  // thread-safe: makes dispatch() return, stopped() true
  // Thread-safe: runs `task` on the loop's thread at its next round.
  void post(std::function<void()> task);
  bool stopped() const noexcept { return stopped_.load(std::memory_order_acquire); }

 private:
  event_base* base_;
  std::atomic<bool> stopped_{false};
};

// A persistent readable-socket watch or a timer; freed with its owner.
class Event {
 public:
  using Callback = std::function<void()>;

  static std::unique_ptr<Event> readable(EventBase& base, int fd, Callback callback);
  static std::unique_ptr<Event> periodic(EventBase& base, std::chrono::milliseconds every,
                                         Callback callback);
  static std::unique_ptr<Event> signal(EventBase& base, int signal_number, Callback callback);
  ~Event();
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

 private:
  explicit Event(Callback callback) : callback_(std::move(callback)) {}
  static void trampoline(int, short, void* self);

  event* event_ = nullptr;
  Callback callback_;
};

}  // namespace turnd::net

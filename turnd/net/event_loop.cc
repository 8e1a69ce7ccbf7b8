#include "turnd/net/event_loop.h"

#include <event2/event.h>
#include <event2/thread.h>

#include <stdexcept>

namespace turnd::net {

void init_libevent_threads() {
  if (evthread_use_pthreads() != 0) throw std::runtime_error("libevent: no pthreads support");
}

EventBase::EventBase() : base_(event_base_new()) {
  if (base_ == nullptr) throw std::runtime_error("libevent: event_base_new failed");
}

EventBase::~EventBase() {
  event_base_free(base_);
}

int EventBase::dispatch() {
  return event_base_dispatch(base_);
}

void EventBase::run_once() {
  event_base_loop(base_, EVLOOP_ONCE);
}

void EventBase::post(std::function<void()> task) {
  auto* heap = new std::function<void()>(std::move(task));  // owned by the callback
  timeval now{0, 0};
  auto run = [](int, short, void* arg) {
    std::unique_ptr<std::function<void()>> owned(static_cast<std::function<void()>*>(arg));
    (*owned)();
  };
  if (event_base_once(base_, -1, EV_TIMEOUT, run, heap, &now) != 0) {
    delete heap;
    throw std::runtime_error("libevent: cannot post a task");
  }
}

void EventBase::stop() noexcept {
  stopped_.store(true, std::memory_order_release);
  event_base_loopbreak(base_);
}

void Event::trampoline(int, short, void* self) {
  static_cast<Event*>(self)->callback_();
}

std::unique_ptr<Event> Event::readable(EventBase& base, int fd, Callback callback) {
  std::unique_ptr<Event> e(new Event(std::move(callback)));
  e->event_ = event_new(base.get(), fd, EV_READ | EV_PERSIST, &Event::trampoline, e.get());
  if (e->event_ == nullptr || event_add(e->event_, nullptr) != 0) {
    throw std::runtime_error("libevent: cannot watch socket");
  }
  return e;
}

std::unique_ptr<Event> Event::periodic(EventBase& base, std::chrono::milliseconds every,
                                       Callback callback) {
  std::unique_ptr<Event> e(new Event(std::move(callback)));
  e->event_ = event_new(base.get(), -1, EV_PERSIST, &Event::trampoline, e.get());
  timeval tv{static_cast<time_t>(every.count() / 1000),
             static_cast<suseconds_t>((every.count() % 1000) * 1000)};
  if (e->event_ == nullptr || event_add(e->event_, &tv) != 0) {
    throw std::runtime_error("libevent: cannot add timer");
  }
  return e;
}

std::unique_ptr<Event> Event::signal(EventBase& base, int signal_number, Callback callback) {
  std::unique_ptr<Event> e(new Event(std::move(callback)));
  e->event_ = evsignal_new(base.get(), signal_number, &Event::trampoline, e.get());
  if (e->event_ == nullptr || event_add(e->event_, nullptr) != 0) {
    throw std::runtime_error("libevent: cannot watch signal");
  }
  return e;
}

Event::~Event() {
  if (event_ != nullptr) event_free(event_);
}

}  // namespace turnd::net

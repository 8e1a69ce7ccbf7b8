#include "turnd/server/session_log_queue.h"

namespace turnd::server {

AllocationEvent SessionLogQueue::make_event(const turn::Allocation& a) const {
  AllocationEvent e;
  e.id = a.session_id();
  e.started_at = a.started_unix();
  e.user = a.username();
  e.client = a.tuple().client;
  e.transport = a.tuple().transport;
  e.relay_v4 = a.has_family(Family::kIPv4);
  e.relay_v6 = a.has_family(Family::kIPv6);
  return e;
}

void SessionLogQueue::on_allocation_started(const turn::Allocation& a) noexcept {
  try {
    push(make_event(a));
  } catch (const std::bad_alloc&) {  // out of memory: the row is lost, the relay goes on
  }
}

void SessionLogQueue::on_allocation_ended(const turn::Allocation& a,
                                          turn::EndReason reason) noexcept {
  try {
    AllocationEvent e = make_event(a);
    e.ended_at = std::max(clock_.unix_seconds(), e.started_at);
    e.reason = reason;
    e.traffic = a.traffic();
    push(std::move(e));
  } catch (const std::bad_alloc&) {
  }
}

void SessionLogQueue::on_participation(ParticipationEvent event) noexcept {
  push(std::move(event));
}

void SessionLogQueue::push(SessionEvent event) noexcept {
  retry_overflow();
  if (overflow_.empty() && ring_.push(event)) return;
  try {
    overflow_.push_back(std::move(event));
    overflow_size_.add();
  } catch (const std::bad_alloc&) {
  }
}

void SessionLogQueue::retry_overflow() noexcept {
  while (!overflow_.empty() && ring_.push(overflow_.front())) {
    overflow_.pop_front();
    overflow_size_.sub();
  }
}

std::optional<SessionEvent> SessionLogQueue::pop_after_producer_stopped() {
  if (auto e = ring_.pop()) return e;
  if (overflow_.empty()) return std::nullopt;
  SessionEvent e = std::move(overflow_.front());
  overflow_.pop_front();
  overflow_size_.sub();
  return e;
}

}  // namespace turnd::server

// SessionLogQueue: one producer thread's hand-off of session events to the
// session-log thread — a TURN worker's allocation events, or the SFU's
// participation events. The worker (producer) pushes into a lock-free SPSC ring
// and never waits; if the ring is full — the session-log thread is stuck —
// events wait in a worker-local overflow list and move into the ring as it
// drains. Events here still hold clear addresses and names: they exist only in
// memory, and the session-log thread pseudonymises them before anything is
// written anywhere.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "turnd/common/address.h"
#include "turnd/common/counter.h"
#include "turnd/common/spsc_ring.h"
#include "turnd/turn/allocation.h"
#include "turnd/turn/session_observer.h"

namespace turnd::server {

struct AllocationEvent {
  turn::Allocation::SessionId id{};
  int64_t started_at = 0;  // Unix seconds
  int64_t ended_at = 0;    // 0: the start event
  turn::EndReason reason = turn::EndReason::kShutdown;
  std::string user;
  SocketAddress client;
  turn::ClientTransport transport = turn::ClientTransport::kUdp;
  bool relay_v4 = false;
  bool relay_v6 = false;
  turn::Traffic traffic;
};

// A person's visit to a conference (the SFU's media thread).
struct ParticipationEvent {
  std::array<std::byte, 16> id{};  // random UUID made at the join
  int64_t room_id = 0;
  std::string name;  // the display name: only its keyed hash is stored
  SocketAddress client;
  bool moderator = false;
  int64_t joined_at = 0;
  int64_t left_at = 0;  // 0: the join event
  std::string end_reason;
  std::vector<std::string> media_sent;
  uint64_t bytes_from = 0;
  uint64_t bytes_to = 0;
};

using SessionEvent = std::variant<AllocationEvent, ParticipationEvent>;

class SessionLogQueue final : public turn::SessionObserver {
 public:
  static constexpr size_t kRingCapacity = 16384;

  explicit SessionLogQueue(const Clock& clock) : clock_(clock), ring_(kRingCapacity) {}

  // Producer (the worker's thread).
  void on_allocation_started(const turn::Allocation& a) noexcept override;
  void on_allocation_ended(const turn::Allocation& a, turn::EndReason reason) noexcept override;
  void on_participation(ParticipationEvent event) noexcept;
  // Moves waiting overflow into the ring; the producer calls it once a second.
  void retry_overflow() noexcept;

  // Consumer (the session-log thread).
  std::optional<SessionEvent> pop() { return ring_.pop(); }
  // Consumer, only once the producer has stopped for good (worker joined).
  std::optional<SessionEvent> pop_after_producer_stopped();

  size_t queued() const noexcept { return ring_.size() + overflow_size_.get(); }

 private:
  void push(SessionEvent event) noexcept;
  AllocationEvent make_event(const turn::Allocation& a) const;

  const Clock& clock_;
  SpscRing<SessionEvent> ring_;
  std::deque<SessionEvent> overflow_;  // producer only
  Counter overflow_size_;              // gauge, for queued()
};

}  // namespace turnd::server

// JoinThrottle: slows access-code guessing down without ever refusing the
// right code because of somebody else (docs/SECURITY.md, "Access codes").
// Used on one thread (the media thread); time is passed in.
//
// Wrong codes fill three leaky buckets, each draining one failure per `drain`:
//   host     one IPv4 address or IPv6 /64 (ClientKey::host) — the only level
//            that refuses (`throttled`), once its bucket holds `refuse_at`;
//   network  its IPv4 /24 or IPv6 /48 — a company's NAT pool: delays only;
//   room     the room asked for, from anywhere: delays only.
// Past its `free` failures each level delays the code check, from
// `first_delay` doubling per further failure up to `max_delay`; the longest of
// the three applies, and a delayed attempt goes to the verifier's low-priority
// queue. Unknown rooms are counted like known ones (no room enumeration).
//
// Attempts in flight count as they are submitted: one host may have at most
// `max_pending` code checks under way, and never so many that they would
// carry it past refuse_at if all were wrong (more are answered `busy`, and
// the page retries); an attempt is checked against the host bucket again when
// its delay ends (refused()), so parallel guesses stop as soon as the first
// ones came back wrong. A right code never counts. Memory is bounded: drained
// entries are swept, and past `max_entries` per level new keys go unrecorded
// at that level (the others still hold).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "turnd/common/address.h"
#include "turnd/common/client_key.h"
#include "turnd/common/clock.h"

namespace turnd::sfu::conference {

using Milliseconds = std::chrono::milliseconds;

class JoinThrottle {
 public:
  struct Level {
    uint32_t free = 5;       // failures in the bucket before any delay
    uint32_t refuse_at = 0;  // failures in the bucket that refuse; 0: never
    Seconds drain{15};       // one failure leaks out per drain
    Milliseconds first_delay{500};
    Milliseconds max_delay{20'000};
  };
  // Defaults: one address gets 10 free tries, then waits 0.5, 1, 2 ... 10 s
  // before each, and is refused at 60 (draining 6 a minute: a steady guesser
  // gets 6 tries a minute). A NAT pool of hundreds of people shares the host
  // level: right codes never count, and their typos add seconds of delay long
  // before they could reach 60.
  struct Limits {
    Level host{10, 60, Seconds(10), Milliseconds(500), Milliseconds(10'000)};
    Level network{30, 0, Seconds(3), Milliseconds(250), Milliseconds(5'000)};
    Level room{50, 0, Seconds(2), Milliseconds(250), Milliseconds(5'000)};
    uint32_t max_pending = 16;  // code checks under way per host
    size_t max_entries = 100'000;
  };

  enum class Verdict : uint8_t { kGo, kThrottled, kBusy };
  struct Decision {
    Verdict verdict = Verdict::kGo;
    Milliseconds delay{0};      // wait this long before checking the code
    bool low_priority = false;  // check it after the attempts of clean addresses
  };

  JoinThrottle() : JoinThrottle(Limits{}) {}
  explicit JoinThrottle(Limits limits) : limits_(limits) {}

  // A join with a code from `source` for `room`. kGo counts the attempt as
  // under way until finished().
  Decision submit(const SocketAddress& source, std::string_view room, SteadyTime now);
  // Whether the host bucket refuses now (checked again when a delay ends).
  bool refused(const SocketAddress& source, SteadyTime now);
  // The attempt submit() let go is over: `wrong` when the code was checked
  // and did not match (false when it was never checked).
  void finished(const SocketAddress& source, std::string_view room, bool wrong, SteadyTime now);

  // For tests and metrics.
  uint32_t pending(const SocketAddress& source) const;
  size_t entries() const noexcept { return hosts_.size() + networks_.size() + rooms_.size(); }

 private:
  struct Bucket {
    double level = 0;  // failures, leaking at 1 per drain
    SteadyTime at{};   // when `level` was last brought up to date
    uint32_t pending = 0;
    uint32_t failures() const noexcept;  // not yet leaked out (level, rounded up)
    void update(SteadyTime now, Seconds drain) noexcept;
  };
  Milliseconds delay(const Bucket* b, const Level& level) const noexcept;
  void sweep(SteadyTime now);

  Limits limits_;
  std::unordered_map<ClientKey, Bucket, ClientKeyHash> hosts_;
  std::unordered_map<ClientKey, Bucket, ClientKeyHash> networks_;
  std::unordered_map<std::string, Bucket> rooms_;
  SteadyTime last_sweep_{};
};

}  // namespace turnd::sfu::conference

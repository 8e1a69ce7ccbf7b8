// AuthThrottle: wrong TURN passwords per (client address, user name), where
// the address is one IPv4 address or one IPv6 /64 (ClientKey::host), in a
// fixed table: no allocation after construction, bounded memory whatever the
// number of sources. One per worker, so no locks.
//
// The server records only failures that carried a valid nonce; nonces are
// bound to the client's address, so nobody can get a victim throttled by
// forging its UDP source address. Failures leak out one per `drain`; past
// `free` of them each further failure makes the pair wait — `first_wait`,
// doubling up to `max_wait` — and while it waits its requests are answered
// 401 without their password being checked: a guesser learns nothing from
// them and gets one real try per wait, while a misconfigured client still
// fails at once with a clear answer. A right password clears the pair. Other user names from the
// same address, and the same user name from other addresses, are not affected.
//
// Slots are found by a keyed hash (a per-process random key, so nobody can
// aim collisions), two candidates each; a new pair takes the candidate that
// is idle or holds fewer failures.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

#include "turnd/common/address.h"
#include "turnd/common/clock.h"

namespace turnd::auth {

class AuthThrottle {
 public:
  using Milliseconds = std::chrono::milliseconds;
  struct Limits {
    uint32_t free = 5;  // failures in the bucket before any wait
    Seconds drain{30};  // one failure leaks out per drain
    Milliseconds first_wait{1000};
    Milliseconds max_wait{60'000};
  };

  explicit AuthThrottle(size_t slots = 4096) : AuthThrottle(slots, Limits{}) {}
  AuthThrottle(size_t slots, Limits limits);

  // Whether requests of this pair are to be dropped now.
  bool waiting(const SocketAddress& source, std::string_view username,
               SteadyTime now) const noexcept;
  // A wrong password (with a valid nonce); returns the failures now in the bucket.
  uint32_t record_failure(const SocketAddress& source, std::string_view username,
                          SteadyTime now) noexcept;
  void record_success(const SocketAddress& source, std::string_view username) noexcept;
  uint32_t failures(const SocketAddress& source, std::string_view username,
                    SteadyTime now) const noexcept;
  const Limits& limits() const noexcept { return limits_; }

 private:
  struct Slot {
    uint64_t key = 0;  // 0: empty
    double level = 0;
    SteadyTime at{};
    SteadyTime wait_until{};
  };
  std::array<size_t, 2> candidates(uint64_t key) const noexcept;
  uint64_t key_of(const SocketAddress& source, std::string_view username) const noexcept;
  const Slot* find(uint64_t key) const noexcept;
  Slot& find_or_take(uint64_t key, SteadyTime now) noexcept;
  double level_at(const Slot& s, SteadyTime now) const noexcept;

  Limits limits_;
  uint64_t seed_;
  std::vector<Slot> slots_;
};

}  // namespace turnd::auth

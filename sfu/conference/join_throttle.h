// JoinThrottle: wrong access codes, counted per source address and per room
// within a sliding window; over the limit, further attempts are refused with
// `throttled` before any code is checked (scrypt is slow on purpose: the
// throttle also keeps a guessing client from burning CPU). A correct code
// does not reset the count. Used on one thread (the media thread).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "turnd/common/address.h"
#include "turnd/common/clock.h"

namespace turnd::sfu::conference {

class JoinThrottle {
 public:
  struct Limits {
    uint32_t per_source = 5;  // wrong codes from one address per window
    uint32_t per_room = 30;   // wrong codes for one room per window, from anywhere
    Seconds window{600};
  };

  JoinThrottle() : JoinThrottle(Limits{}) {}
  explicit JoinThrottle(Limits limits) : limits_(limits) {}

  bool allowed(const SocketAddress& source, const std::string& room, SteadyTime now);
  void record_failure(const SocketAddress& source, const std::string& room, SteadyTime now);

 private:
  struct Count {
    uint32_t failures = 0;
    SteadyTime window_start{};
  };
  static uint32_t current(const Count& c, SteadyTime now, Seconds window);
  void forget_old(SteadyTime now);

  Limits limits_;
  std::unordered_map<std::string, Count> sources_;  // by IP (port ignored)
  std::unordered_map<std::string, Count> rooms_;
  SteadyTime last_sweep_{};
};

}  // namespace turnd::sfu::conference

// Clock: the one source of time for lifetimes, nonces and REST credential
// expiry, injected so tests can move time instead of sleeping.
#pragma once

#include <chrono>
#include <cstdint>

namespace turnd {

using SteadyTime = std::chrono::steady_clock::time_point;
using Seconds = std::chrono::seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual SteadyTime now() const noexcept = 0;        // monotonic, for lifetimes
  virtual int64_t unix_seconds() const noexcept = 0;  // wall clock, for REST expiry
};

class SystemClock final : public Clock {
 public:
  SteadyTime now() const noexcept override { return std::chrono::steady_clock::now(); }
  int64_t unix_seconds() const noexcept override {
    return std::chrono::duration_cast<Seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that only moves when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t unix_start = 1'700'000'000) : unix_(unix_start) {}
  SteadyTime now() const noexcept override { return steady_; }
  int64_t unix_seconds() const noexcept override { return unix_; }
  void advance(Seconds s) noexcept {
    steady_ += s;
    unix_ += s.count();
  }

 private:
  SteadyTime steady_{};
  int64_t unix_;
};

}  // namespace turnd

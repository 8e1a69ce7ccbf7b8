// Counter: a statistic written by exactly one thread (its worker) and read by
// any (metrics export). Single-writer, so increments are a plain load+store on
// a relaxed atomic: no lock prefix on the hot path, no torn reads elsewhere.
#pragma once

#include <atomic>
#include <cstdint>

namespace turnd {

class Counter {
 public:
  void add(uint64_t n = 1) noexcept {
    value_.store(value_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  void sub(uint64_t n = 1) noexcept {
    value_.store(value_.load(std::memory_order_relaxed) - n, std::memory_order_relaxed);
  }
  uint64_t get() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

}  // namespace turnd

// SpscRing: a bounded, lock-free queue between exactly one producer thread and
// exactly one consumer thread. Slots are allocated once, at construction;
// push and pop move a T in and out and never block. The producer learns that
// the ring is full from push() returning false and keeps the item itself.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>

namespace turnd {

template <typename T>
class SpscRing {
 public:
  explicit SpscRing(size_t capacity) : capacity_(capacity + 1), slots_(new T[capacity + 1]) {}
  SpscRing(const SpscRing&) = delete;
  SpscRing& operator=(const SpscRing&) = delete;

  // Producer only. False when full (`item` is left untouched).
  bool push(T& item) noexcept(std::is_nothrow_move_assignable_v<T>) {
    size_t tail = tail_.load(std::memory_order_relaxed);
    size_t next = advance(tail);
    if (next == head_.load(std::memory_order_acquire)) return false;
    slots_[tail] = std::move(item);
    tail_.store(next, std::memory_order_release);
    return true;
  }

  // Producer only: fill(T&) writes the next slot in place (no copy of a
  // large T), then it is published. False when full (fill not called).
  template <typename Fill>
  bool push_in_place(Fill&& fill) noexcept {
    size_t tail = tail_.load(std::memory_order_relaxed);
    size_t next = advance(tail);
    if (next == head_.load(std::memory_order_acquire)) return false;
    fill(slots_[tail]);
    tail_.store(next, std::memory_order_release);
    return true;
  }

  // Consumer only: use(T&) reads the oldest slot in place, then it is
  // released. False when empty.
  template <typename Use>
  bool pop_in_place(Use&& use) noexcept {
    size_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_.load(std::memory_order_acquire)) return false;
    use(slots_[head]);
    head_.store(advance(head), std::memory_order_release);
    return true;
  }

  // Consumer only. Empty when nothing is queued.
  std::optional<T> pop() {
    size_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_.load(std::memory_order_acquire)) return std::nullopt;
    std::optional<T> item(std::move(slots_[head]));
    head_.store(advance(head), std::memory_order_release);
    return item;
  }

  // Either thread; exact only when the other side is idle.
  size_t size() const noexcept {
    size_t head = head_.load(std::memory_order_acquire);
    size_t tail = tail_.load(std::memory_order_acquire);
    return tail >= head ? tail - head : tail + capacity_ - head;
  }
  size_t capacity() const noexcept { return capacity_ - 1; }

 private:
  size_t advance(size_t i) const noexcept { return i + 1 == capacity_ ? 0 : i + 1; }

  const size_t capacity_;  // one slot stays free to tell full from empty
  std::unique_ptr<T[]> slots_;
  alignas(64) std::atomic<size_t> head_{0};  // next slot to pop
  alignas(64) std::atomic<size_t> tail_{0};  // next slot to push
};

}  // namespace turnd

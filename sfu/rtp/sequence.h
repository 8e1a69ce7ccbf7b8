// Wrap-around arithmetic on RTP sequence numbers (16 bits) and timestamps
// (32 bits): which of two values is newer, and unwrapping into a 64-bit
// count that keeps growing (RFC 3550 §A.1's "extended" sequence number).
#pragma once

#include <cstdint>
#include <optional>
#include <type_traits>

namespace turnd::sfu::rtp {

// True when `a` comes after `b` modulo 2^N: less than half the number space
// ahead. Exactly half apart counts as newer when a > b, so that
// is_newer(a, b) and is_newer(b, a) are never both true.
template <typename T>
constexpr bool is_newer(T a, T b) noexcept {
  static_assert(std::is_unsigned_v<T>);
  constexpr T kHalf = static_cast<T>(T(~T(0)) / 2 + 1);
  const T diff = static_cast<T>(a - b);
  if (diff == kHalf) return a > b;
  return diff != 0 && diff < kHalf;
}
constexpr bool is_newer_sequence(uint16_t a, uint16_t b) noexcept {
  return is_newer<uint16_t>(a, b);
}
constexpr bool is_newer_timestamp(uint32_t a, uint32_t b) noexcept {
  return is_newer<uint32_t>(a, b);
}

// The forward distance from `from` to `to` modulo 2^N.
template <typename T>
constexpr T forward_diff(T from, T to) noexcept {
  return static_cast<T>(to - from);
}

// Unwraps N-bit values into int64_t: the first value maps to itself, each
// later one to the extended value nearest the previous one (so a reordered
// packet from before a wrap unwraps below it). No allocation.
template <typename T>
class Unwrapper {
 public:
  int64_t unwrap(T value) noexcept {
    if (!last_) {
      last_ = static_cast<int64_t>(value);
      return *last_;
    }
    constexpr int64_t kModulus = int64_t{1} << (8 * sizeof(T));
    const T previous = static_cast<T>(*last_);
    int64_t delta = static_cast<T>(value - previous);  // 0 .. 2^N - 1
    if (!is_newer<T>(value, previous) && value != previous) delta -= kModulus;
    *last_ += delta;
    return *last_;
  }
  // Unwraps without remembering the value.
  int64_t peek(T value) const noexcept {
    Unwrapper copy = *this;
    return copy.unwrap(value);
  }
  std::optional<int64_t> last() const noexcept { return last_; }
  void reset() noexcept { last_.reset(); }

 private:
  std::optional<int64_t> last_;
};

using SeqUnwrapper = Unwrapper<uint16_t>;
using TimestampUnwrapper = Unwrapper<uint32_t>;

}  // namespace turnd::sfu::rtp

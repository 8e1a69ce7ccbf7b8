// Byte-order helpers over std::byte spans. Callers check bounds first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace turnd {

using Bytes = std::span<const std::byte>;
using MutableBytes = std::span<std::byte>;

inline uint16_t load_be16(const std::byte* p) noexcept {
  return static_cast<uint16_t>((static_cast<uint16_t>(p[0]) << 8) | static_cast<uint16_t>(p[1]));
}
inline uint32_t load_be32(const std::byte* p) noexcept {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | static_cast<uint32_t>(p[3]);
}
inline void store_be16(std::byte* p, uint16_t v) noexcept {
  p[0] = static_cast<std::byte>(v >> 8);
  p[1] = static_cast<std::byte>(v);
}
inline void store_be32(std::byte* p, uint32_t v) noexcept {
  p[0] = static_cast<std::byte>(v >> 24);
  p[1] = static_cast<std::byte>(v >> 16);
  p[2] = static_cast<std::byte>(v >> 8);
  p[3] = static_cast<std::byte>(v);
}

inline Bytes as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}
inline std::string_view as_string(Bytes b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

constexpr size_t pad4(size_t n) noexcept {
  return (n + 3) & ~size_t{3};
}

}  // namespace turnd

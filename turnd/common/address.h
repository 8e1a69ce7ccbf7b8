// SocketAddress: an IPv4 or IPv6 address with a port, stored as the kernel's
// sockaddr so it can be handed to syscalls without conversion. Used by every
// layer (STUN codec, TURN logic, sockets); it never allocates except in the
// to_string() helpers meant for logs and tests.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace turnd {

enum class Family : uint8_t { kNone = 0, kIPv4 = 1, kIPv6 = 2 };

class SocketAddress {
 public:
  SocketAddress() noexcept;

  // "192.0.2.1", "2001:db8::1", "192.0.2.1:3478", "[2001:db8::1]:3478".
  // A port in the text wins over default_port.
  static std::optional<SocketAddress> parse(std::string_view text,
                                            uint16_t default_port = 0) noexcept;
  static std::optional<SocketAddress> from_sockaddr(const sockaddr* sa, socklen_t len) noexcept;
  // bytes.size() must be 4 (IPv4) or 16 (IPv6); anything else gives kNone.
  static SocketAddress from_bytes(std::span<const std::byte> bytes, uint16_t port) noexcept;
  static SocketAddress any(Family family, uint16_t port = 0) noexcept;

  Family family() const noexcept;
  bool is_v4() const noexcept { return family() == Family::kIPv4; }
  bool is_v6() const noexcept { return family() == Family::kIPv6; }
  bool empty() const noexcept { return family() == Family::kNone; }

  uint16_t port() const noexcept;
  void set_port(uint16_t port) noexcept;
  SocketAddress with_port(uint16_t port) const noexcept;

  // Network-order address bytes: 4 for IPv4, 16 for IPv6, empty for kNone.
  std::span<const std::byte> ip_bytes() const noexcept;
  bool same_ip(const SocketAddress& other) const noexcept;

  const sockaddr* sockaddr_ptr() const noexcept { return &storage_.sa; }
  sockaddr* sockaddr_ptr() noexcept { return &storage_.sa; }
  socklen_t sockaddr_len() const noexcept;
  static constexpr socklen_t kMaxSockaddrLen = sizeof(sockaddr_in6);

  std::string ip_string() const;  // "192.0.2.1", "2001:db8::1"
  std::string to_string() const;  // "192.0.2.1:3478", "[2001:db8::1]:3478"

  bool operator==(const SocketAddress& other) const noexcept;
  size_t hash() const noexcept;

 private:
  union Storage {
    sockaddr sa;
    sockaddr_in v4;
    sockaddr_in6 v6;
  } storage_;
};

struct SocketAddressHash {
  size_t operator()(const SocketAddress& a) const noexcept { return a.hash(); }
};

}  // namespace turnd

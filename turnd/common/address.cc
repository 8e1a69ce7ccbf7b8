#include "turnd/common/address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace turnd {

SocketAddress::SocketAddress() noexcept {
  std::memset(&storage_, 0, sizeof(storage_));
}

std::optional<SocketAddress> SocketAddress::parse(std::string_view text,
                                                  uint16_t default_port) noexcept {
  std::string_view host = text;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':' || rest.size() < 2) return std::nullopt;
      port_text = rest.substr(1);
    }
  } else if (auto colon = text.find(':'); colon != std::string_view::npos &&
                                          text.find(':', colon + 1) == std::string_view::npos) {
    host = text.substr(0, colon);  // exactly one colon: IPv4 with port
    port_text = text.substr(colon + 1);
    if (port_text.empty()) return std::nullopt;
  }
  uint16_t port = default_port;
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value > 65535) {
      return std::nullopt;
    }
    port = static_cast<uint16_t>(value);
  }
  char buf[INET6_ADDRSTRLEN + 1];
  if (host.empty() || host.size() >= sizeof(buf)) return std::nullopt;
  std::memcpy(buf, host.data(), host.size());
  buf[host.size()] = '\0';

  SocketAddress out;
  if (inet_pton(AF_INET, buf, &out.storage_.v4.sin_addr) == 1) {
    out.storage_.v4.sin_family = AF_INET;
  } else if (inet_pton(AF_INET6, buf, &out.storage_.v6.sin6_addr) == 1) {
    out.storage_.v6.sin6_family = AF_INET6;
  } else {
    return std::nullopt;
  }
  out.set_port(port);
  return out;
}

std::optional<SocketAddress> SocketAddress::from_sockaddr(const sockaddr* sa,
                                                          socklen_t len) noexcept {
  SocketAddress out;
  if (sa == nullptr) return std::nullopt;
  if (sa->sa_family == AF_INET && len >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    std::memcpy(&out.storage_.v4, sa, sizeof(sockaddr_in));
    return out;
  }
  if (sa->sa_family == AF_INET6 && len >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    std::memcpy(&out.storage_.v6, sa, sizeof(sockaddr_in6));
    out.storage_.v6.sin6_flowinfo = 0;
    return out;
  }
  return std::nullopt;
}

SocketAddress SocketAddress::from_bytes(std::span<const std::byte> bytes, uint16_t port) noexcept {
  SocketAddress out;
  if (bytes.size() == 4) {
    out.storage_.v4.sin_family = AF_INET;
    std::memcpy(&out.storage_.v4.sin_addr, bytes.data(), 4);
  } else if (bytes.size() == 16) {
    out.storage_.v6.sin6_family = AF_INET6;
    std::memcpy(&out.storage_.v6.sin6_addr, bytes.data(), 16);
  } else {
    return out;
  }
  out.set_port(port);
  return out;
}

SocketAddress SocketAddress::any(Family family, uint16_t port) noexcept {
  SocketAddress out;
  if (family == Family::kIPv4) out.storage_.v4.sin_family = AF_INET;
  if (family == Family::kIPv6) out.storage_.v6.sin6_family = AF_INET6;
  out.set_port(port);
  return out;
}

Family SocketAddress::family() const noexcept {
  switch (storage_.sa.sa_family) {
    case AF_INET:
      return Family::kIPv4;
    case AF_INET6:
      return Family::kIPv6;
    default:
      return Family::kNone;
  }
}

uint16_t SocketAddress::port() const noexcept {
  switch (family()) {
    case Family::kIPv4:
      return ntohs(storage_.v4.sin_port);
    case Family::kIPv6:
      return ntohs(storage_.v6.sin6_port);
    default:
      return 0;
  }
}

void SocketAddress::set_port(uint16_t port) noexcept {
  if (is_v4()) storage_.v4.sin_port = htons(port);
  if (is_v6()) storage_.v6.sin6_port = htons(port);
}

SocketAddress SocketAddress::with_port(uint16_t port) const noexcept {
  SocketAddress copy = *this;
  copy.set_port(port);
  return copy;
}

std::span<const std::byte> SocketAddress::ip_bytes() const noexcept {
  switch (family()) {
    case Family::kIPv4:
      return {reinterpret_cast<const std::byte*>(&storage_.v4.sin_addr), 4};
    case Family::kIPv6:
      return {reinterpret_cast<const std::byte*>(&storage_.v6.sin6_addr), 16};
    default:
      return {};
  }
}

bool SocketAddress::same_ip(const SocketAddress& other) const noexcept {
  auto a = ip_bytes();
  auto b = other.ip_bytes();
  return family() == other.family() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);  // two empty: equal
}

socklen_t SocketAddress::sockaddr_len() const noexcept {
  switch (family()) {
    case Family::kIPv4:
      return sizeof(sockaddr_in);
    case Family::kIPv6:
      return sizeof(sockaddr_in6);
    default:
      return 0;
  }
}

std::string SocketAddress::ip_string() const {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (is_v4()) inet_ntop(AF_INET, &storage_.v4.sin_addr, buf, sizeof(buf));
  if (is_v6()) inet_ntop(AF_INET6, &storage_.v6.sin6_addr, buf, sizeof(buf));
  return buf;
}

std::string SocketAddress::to_string() const {
  if (empty()) return "-";
  std::string ip = ip_string();
  std::string port = std::to_string(this->port());
  return is_v6() ? "[" + ip + "]:" + port : ip + ":" + port;
}

bool SocketAddress::operator==(const SocketAddress& other) const noexcept {
  return same_ip(other) && port() == other.port();
}

size_t SocketAddress::hash() const noexcept {
  // FNV-1a over the address bytes and the port: cheap and good enough for
  // per-worker hash maps that no remote party can grow without bound.
  uint64_t h = 1469598103934665603ull;
  for (std::byte b : ip_bytes()) h = (h ^ static_cast<uint8_t>(b)) * 1099511628211ull;
  h = (h ^ port()) * 1099511628211ull;
  return static_cast<size_t>(h);
}

}  // namespace turnd

#include "turnd/common/ip_range.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

namespace turnd {
namespace {

int compare_ip(const SocketAddress& a, const SocketAddress& b) noexcept {
  auto x = a.ip_bytes();
  auto y = b.ip_bytes();
  return std::memcmp(x.data(), y.data(), std::min(x.size(), y.size()));
}

}  // namespace

std::optional<IpRange> IpRange::cidr(const SocketAddress& base, unsigned prefix_len) noexcept {
  auto bytes = base.ip_bytes();
  if (bytes.empty() || prefix_len > bytes.size() * 8) return std::nullopt;
  std::array<std::byte, 16> lo{};
  std::array<std::byte, 16> hi{};
  for (size_t i = 0; i < bytes.size(); ++i) {
    unsigned bits_here =
        prefix_len > i * 8 ? std::min(8u, prefix_len - static_cast<unsigned>(i * 8)) : 0;
    auto mask = static_cast<std::byte>(bits_here == 0 ? 0 : (0xFF << (8 - bits_here)) & 0xFF);
    lo[i] = bytes[i] & mask;
    hi[i] = bytes[i] | ~mask;
  }
  return IpRange(SocketAddress::from_bytes({lo.data(), bytes.size()}, 0),
                 SocketAddress::from_bytes({hi.data(), bytes.size()}, 0));
}

std::optional<IpRange> IpRange::parse(std::string_view text) noexcept {
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    auto base = SocketAddress::parse(text.substr(0, slash));
    auto len_text = text.substr(slash + 1);
    unsigned len = 0;
    auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
    if (!base || ec != std::errc() || end != len_text.data() + len_text.size()) {
      return std::nullopt;
    }
    return cidr(*base, len);
  }
  if (auto dash = text.find('-'); dash != std::string_view::npos) {
    auto first = SocketAddress::parse(text.substr(0, dash));
    auto last = SocketAddress::parse(text.substr(dash + 1));
    if (!first || !last || first->port() != 0 || last->port() != 0 ||
        first->family() != last->family() || compare_ip(*first, *last) > 0) {
      return std::nullopt;
    }
    return IpRange(*first, *last);
  }
  auto single = SocketAddress::parse(text);
  if (!single || single->port() != 0) return std::nullopt;
  return IpRange(*single, *single);
}

bool IpRange::contains(const SocketAddress& address) const noexcept {
  return address.family() == family() && compare_ip(first_, address) <= 0 &&
         compare_ip(address, last_) <= 0;
}

std::string IpRange::to_string() const {
  if (first_.same_ip(last_)) return first_.ip_string();
  return first_.ip_string() + "-" + last_.ip_string();
}

}  // namespace turnd

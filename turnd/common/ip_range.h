// IpRange: an inclusive range of IP addresses of one family, written as a
// single address ("192.0.2.7"), a CIDR prefix ("10.0.0.0/8", "fd00::/8") or
// coturn's "first-last" form ("172.16.0.0-172.31.255.255"). Ports are ignored.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "turnd/common/address.h"

namespace turnd {

class IpRange {
 public:
  static std::optional<IpRange> parse(std::string_view text) noexcept;
  static std::optional<IpRange> cidr(const SocketAddress& base, unsigned prefix_len) noexcept;

  bool contains(const SocketAddress& address) const noexcept;
  Family family() const noexcept { return first_.family(); }
  const SocketAddress& first() const noexcept { return first_; }
  const SocketAddress& last() const noexcept { return last_; }
  std::string to_string() const;

 private:
  IpRange(SocketAddress first, SocketAddress last) : first_(first), last_(last) {}
  SocketAddress first_;
  SocketAddress last_;
};

}  // namespace turnd

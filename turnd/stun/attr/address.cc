#include "turnd/stun/attr/address.h"

#include <algorithm>
#include <array>
#include <string>

namespace turnd::stun {
namespace {

void xor_with_key(std::span<std::byte> ip, Bytes transaction_id) noexcept {
  std::array<std::byte, 16> key{};
  store_be32(key.data(), kMagicCookie);
  for (size_t i = 0; i < kTransactionIdSize; ++i) key[4 + i] = transaction_id[i];
  for (size_t i = 0; i < ip.size(); ++i) ip[i] ^= key[i];
}

}  // namespace

DecodeStatus decode_address(Bytes value, bool xored, Bytes transaction_id,
                            SocketAddress& out) noexcept {
  if (value.size() < 4) return DecodeStatus::kMalformed;
  auto family = static_cast<uint8_t>(value[1]);
  size_t ip_length = family == kFamilyIPv4 ? 4 : family == kFamilyIPv6 ? 16 : 0;
  if (ip_length == 0 || value.size() != 4 + ip_length) return DecodeStatus::kMalformed;
  uint16_t port = load_be16(value.data() + 2);
  std::array<std::byte, 16> ip{};
  std::copy_n(value.data() + 4, ip_length, ip.data());
  if (xored) {
    port ^= static_cast<uint16_t>(kMagicCookie >> 16);
    xor_with_key({ip.data(), ip_length}, transaction_id);
  }
  out = SocketAddress::from_bytes({ip.data(), ip_length}, port);
  return DecodeStatus::kOk;
}

void encode_address(MessageBuilder& builder, uint16_t type, const SocketAddress& address,
                    bool xored) noexcept {
  Bytes ip = address.ip_bytes();
  if (ip.empty()) return;
  MutableBytes out = builder.reserve(type, 4 + ip.size());
  if (out.empty()) return;
  out[1] = static_cast<std::byte>(address.is_v4() ? kFamilyIPv4 : kFamilyIPv6);
  uint16_t port = address.port();
  std::copy(ip.begin(), ip.end(), out.data() + 4);
  if (xored) {
    port ^= static_cast<uint16_t>(kMagicCookie >> 16);
    xor_with_key(out.subspan(4), builder.transaction_id());
  }
  store_be16(out.data() + 2, port);
}

}  // namespace turnd::stun

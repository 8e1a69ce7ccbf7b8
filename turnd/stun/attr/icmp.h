// ICMP (RFC 8656 §18.13): an ICMP error for a relayed packet, carried to the
// client in a Data indication.
#pragma once

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

struct Icmp {
  static constexpr uint16_t kType = attr::kIcmp;
  uint8_t icmp_type = 0;
  uint8_t icmp_code = 0;
  uint32_t error_data = 0;

  void add_to(MessageBuilder& builder) const noexcept {
    MutableBytes out = builder.reserve(kType, 8);
    if (out.empty()) return;
    out[2] = static_cast<std::byte>(icmp_type & 0x7F);
    out[3] = static_cast<std::byte>(icmp_code);
    store_be32(out.data() + 4, error_data);
  }
  static DecodeStatus get_from(const MessageView& message, Icmp& out) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    if (found->value.size() != 8) return DecodeStatus::kMalformed;
    out.icmp_type = static_cast<uint8_t>(found->value[2]) & 0x7F;
    out.icmp_code = static_cast<uint8_t>(found->value[3]);
    out.error_data = load_be32(found->value.data() + 4);
    return DecodeStatus::kOk;
  }
};

}  // namespace turnd::stun

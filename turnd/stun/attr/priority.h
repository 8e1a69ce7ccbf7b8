// PRIORITY (RFC 8445 §7.1.1, §16.1): the priority a peer-reflexive candidate
// learned from this connectivity check would get.
#pragma once

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

struct Priority {
  static constexpr uint16_t kType = attr::kPriority;
  uint32_t value = 0;

  void add_to(MessageBuilder& builder) const noexcept { builder.add_u32(kType, value); }
  static DecodeStatus get_from(const MessageView& message, Priority& out) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    if (found->value.size() != 4) return DecodeStatus::kMalformed;
    out.value = load_be32(found->value.data());
    return DecodeStatus::kOk;
  }
};

}  // namespace turnd::stun

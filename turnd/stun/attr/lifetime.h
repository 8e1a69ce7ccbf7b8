// LIFETIME (RFC 8656 §18.2): seconds until the allocation expires.
#pragma once

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

struct Lifetime {
  static constexpr uint16_t kType = attr::kLifetime;
  uint32_t seconds = 0;

  void add_to(MessageBuilder& builder) const noexcept { builder.add_u32(kType, seconds); }
  static DecodeStatus get_from(const MessageView& message, Lifetime& out) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    if (found->value.size() != 4) return DecodeStatus::kMalformed;
    out.seconds = load_be32(found->value.data());
    return DecodeStatus::kOk;
  }
};

}  // namespace turnd::stun

// The 64-bit tie-breaker value carried by ICE-CONTROLLED and ICE-CONTROLLING
// (RFC 8445 §7.1.3, §16.1), which also name the sender's role.
#pragma once

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

template <uint16_t kTypeValue>
struct TieBreakerAttribute {
  static constexpr uint16_t kType = kTypeValue;
  uint64_t tie_breaker = 0;

  void add_to(MessageBuilder& builder) const noexcept {
    MutableBytes out = builder.reserve(kType, 8);
    if (out.empty()) return;
    store_be32(out.data(), static_cast<uint32_t>(tie_breaker >> 32));
    store_be32(out.data() + 4, static_cast<uint32_t>(tie_breaker));
  }
  static DecodeStatus get_from(const MessageView& message, TieBreakerAttribute& out) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    if (found->value.size() != 8) return DecodeStatus::kMalformed;
    out.tie_breaker = static_cast<uint64_t>(load_be32(found->value.data())) << 32 |
                      load_be32(found->value.data() + 4);
    return DecodeStatus::kOk;
  }
};

}  // namespace turnd::stun

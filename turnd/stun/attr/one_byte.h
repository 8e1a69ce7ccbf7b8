// Attributes whose value is one meaningful byte followed by three RFFU bytes:
// REQUESTED-TRANSPORT, REQUESTED-ADDRESS-FAMILY, ADDITIONAL-ADDRESS-FAMILY.
#pragma once

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

template <uint16_t kTypeValue>
struct OneByteAttribute {
  static constexpr uint16_t kType = kTypeValue;
  uint8_t value = 0;

  void add_to(MessageBuilder& builder) const noexcept {
    builder.add_u32(kType, static_cast<uint32_t>(value) << 24);
  }
  static DecodeStatus get_from(const MessageView& message, OneByteAttribute& out) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    if (found->value.size() != 4) return DecodeStatus::kMalformed;
    out.value = static_cast<uint8_t>(found->value[0]);
    return DecodeStatus::kOk;
  }
};

}  // namespace turnd::stun

// CHANNEL-NUMBER (RFC 8656 §18.1): a 16-bit channel number and 16 RFFU bits.
#pragma once

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

struct ChannelNumber {
  static constexpr uint16_t kType = attr::kChannelNumber;
  uint16_t number = 0;

  void add_to(MessageBuilder& builder) const noexcept {
    builder.add_u32(kType, static_cast<uint32_t>(number) << 16);
  }
  static DecodeStatus get_from(const MessageView& message, ChannelNumber& out) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    if (found->value.size() != 4) return DecodeStatus::kMalformed;
    out.number = load_be16(found->value.data());
    return DecodeStatus::kOk;
  }
  bool valid() const noexcept { return number >= kMinChannelNumber && number <= kMaxChannelNumber; }
};

}  // namespace turnd::stun

// EVEN-PORT (RFC 8656 §18.6): ask for an even relay port; with the R bit set,
// also reserve the next port and return a RESERVATION-TOKEN for it.
#pragma once

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

struct EvenPort {
  static constexpr uint16_t kType = attr::kEvenPort;
  bool reserve_next = false;

  void add_to(MessageBuilder& builder) const noexcept {
    MutableBytes out = builder.reserve(kType, 1);
    if (!out.empty()) out[0] = reserve_next ? std::byte{0x80} : std::byte{0};
  }
  static DecodeStatus get_from(const MessageView& message, EvenPort& out) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    if (found->value.size() != 1) return DecodeStatus::kMalformed;
    out.reserve_next = (static_cast<uint8_t>(found->value[0]) & 0x80) != 0;
    return DecodeStatus::kOk;
  }
};

}  // namespace turnd::stun

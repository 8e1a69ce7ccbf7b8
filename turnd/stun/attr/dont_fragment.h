// DONT-FRAGMENT (RFC 8656 §18.10): no value; set DF on relayed packets.
#pragma once

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

struct DontFragment {
  static constexpr uint16_t kType = attr::kDontFragment;

  void add_to(MessageBuilder& builder) const noexcept { builder.add(kType, {}); }
  static DecodeStatus get_from(const MessageView& message, DontFragment&) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    return found->value.empty() ? DecodeStatus::kOk : DecodeStatus::kMalformed;
  }
};

}  // namespace turnd::stun

// USE-CANDIDATE (RFC 8445 §7.1.2, §16.1): no value; the controlling agent
// nominates the candidate pair this check is sent on.
#pragma once

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

struct UseCandidate {
  static constexpr uint16_t kType = attr::kUseCandidate;

  void add_to(MessageBuilder& builder) const noexcept { builder.add(kType, {}); }
  static DecodeStatus get_from(const MessageView& message, UseCandidate&) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    return found->value.empty() ? DecodeStatus::kOk : DecodeStatus::kMalformed;
  }
};

}  // namespace turnd::stun

// Attributes whose value is an opaque byte string (UTF-8 text or binary),
// held as a view into the parsed message.
#pragma once

#include <string_view>

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

template <uint16_t kTypeValue, size_t kMinLength, size_t kMaxLength>
struct OpaqueAttribute {
  static constexpr uint16_t kType = kTypeValue;
  Bytes value;

  std::string_view text() const noexcept { return as_string(value); }
  void add_to(MessageBuilder& builder) const noexcept { builder.add(kType, value); }
  static DecodeStatus get_from(const MessageView& message, OpaqueAttribute& out) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    if (found->value.size() < kMinLength || found->value.size() > kMaxLength) {
      return DecodeStatus::kMalformed;
    }
    out.value = found->value;
    return DecodeStatus::kOk;
  }
};

}  // namespace turnd::stun

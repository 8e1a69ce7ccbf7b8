// UNKNOWN-ATTRIBUTES (RFC 8489 §14.13): the comprehension-required attribute
// types a 420 response did not understand.
#pragma once

#include <array>

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

struct UnknownAttributes {
  static constexpr uint16_t kType = attr::kUnknownAttributes;
  static constexpr size_t kMaxTypes = 16;  // more are not reported
  std::array<uint16_t, kMaxTypes> types{};
  size_t count = 0;

  void push(uint16_t type) noexcept {
    if (count < kMaxTypes) types[count++] = type;
  }
  void add_to(MessageBuilder& builder) const noexcept {
    MutableBytes out = builder.reserve(kType, count * 2);
    for (size_t i = 0; i < count && !out.empty(); ++i) store_be16(out.data() + 2 * i, types[i]);
  }
  static DecodeStatus get_from(const MessageView& message, UnknownAttributes& out) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    if (found->value.size() % 2 != 0) return DecodeStatus::kMalformed;
    out.count = 0;
    for (size_t i = 0; i + 1 < found->value.size(); i += 2) {
      out.push(load_be16(found->value.data() + i));
    }
    return DecodeStatus::kOk;
  }
};

}  // namespace turnd::stun

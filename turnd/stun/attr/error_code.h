// ERROR-CODE (RFC 8489 §14.8): a code 300-699 and a reason phrase. Also
// ADDRESS-ERROR-CODE (RFC 8656 §18.12), which adds the family it is about.
#pragma once

#include <string_view>

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

struct ErrorCode {
  static constexpr uint16_t kType = attr::kErrorCode;
  uint16_t code = 0;
  std::string_view reason;  // empty: the RFC's phrase for the code

  void add_to(MessageBuilder& builder) const noexcept;
  static DecodeStatus get_from(const MessageView& message, ErrorCode& out) noexcept;
};

struct AddressErrorCode {
  static constexpr uint16_t kType = attr::kAddressErrorCode;
  uint8_t family = 0;  // kFamilyIPv4 / kFamilyIPv6
  uint16_t code = 0;
  std::string_view reason;

  void add_to(MessageBuilder& builder) const noexcept;
  static DecodeStatus get_from(const MessageView& message, AddressErrorCode& out) noexcept;
};

}  // namespace turnd::stun

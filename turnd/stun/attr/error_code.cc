#include "turnd/stun/attr/error_code.h"

#include <cstring>

namespace turnd::stun {
namespace {

void encode(MessageBuilder& builder, uint16_t type, uint8_t family, uint16_t code,
            std::string_view reason) noexcept {
  if (reason.empty()) reason = error::reason_phrase(code);
  MutableBytes out = builder.reserve(type, 4 + reason.size());
  if (out.empty()) return;
  out[0] = static_cast<std::byte>(family);
  out[2] = static_cast<std::byte>((code / 100) & 0x07);
  out[3] = static_cast<std::byte>(code % 100);
  std::memcpy(out.data() + 4, reason.data(), reason.size());
}

DecodeStatus decode(const MessageView& message, uint16_t type, uint8_t& family, uint16_t& code,
                    std::string_view& reason) noexcept {
  auto found = message.find(type);
  if (!found) return DecodeStatus::kAbsent;
  Bytes v = found->value;
  if (v.size() < 4 || v.size() > 4 + 763) return DecodeStatus::kMalformed;
  unsigned cls = static_cast<uint8_t>(v[2]) & 0x07;
  unsigned number = static_cast<uint8_t>(v[3]);
  if (cls < 3 || cls > 6 || number > 99) return DecodeStatus::kMalformed;
  family = static_cast<uint8_t>(v[0]);
  code = static_cast<uint16_t>(cls * 100 + number);
  reason = as_string(v.subspan(4));
  return DecodeStatus::kOk;
}

}  // namespace

void ErrorCode::add_to(MessageBuilder& builder) const noexcept {
  encode(builder, kType, 0, code, reason);
}

DecodeStatus ErrorCode::get_from(const MessageView& message, ErrorCode& out) noexcept {
  uint8_t ignored = 0;
  return decode(message, kType, ignored, out.code, out.reason);
}

void AddressErrorCode::add_to(MessageBuilder& builder) const noexcept {
  encode(builder, kType, family, code, reason);
}

DecodeStatus AddressErrorCode::get_from(const MessageView& message,
                                        AddressErrorCode& out) noexcept {
  return decode(message, kType, out.family, out.code, out.reason);
}

}  // namespace turnd::stun

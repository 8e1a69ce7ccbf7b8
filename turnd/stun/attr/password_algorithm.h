// PASSWORD-ALGORITHM (RFC 8489 §14.12): the algorithm the client chose for
// the long-term key. 1 = MD5, 2 = SHA-256; parameters are empty for both.
#pragma once

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

inline constexpr uint16_t kPasswordAlgorithmMd5 = 0x0001;
inline constexpr uint16_t kPasswordAlgorithmSha256 = 0x0002;

struct PasswordAlgorithm {
  static constexpr uint16_t kType = attr::kPasswordAlgorithm;
  uint16_t algorithm = 0;

  void add_to(MessageBuilder& builder) const noexcept {
    builder.add_u32(kType, static_cast<uint32_t>(algorithm) << 16);
  }
  static DecodeStatus get_from(const MessageView& message, PasswordAlgorithm& out) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    Bytes v = found->value;
    if (v.size() < 4 || 4 + pad4(load_be16(v.data() + 2)) != v.size()) {
      return DecodeStatus::kMalformed;
    }
    out.algorithm = load_be16(v.data());
    return DecodeStatus::kOk;
  }
};

}  // namespace turnd::stun

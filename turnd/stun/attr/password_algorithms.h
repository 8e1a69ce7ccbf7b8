// PASSWORD-ALGORITHMS (RFC 8489 §14.11): the algorithms the server offers,
// in preference order. Its value must be echoed back byte for byte by the
// client (bid-down protection), so the raw value is kept as a view.
#pragma once

#include <array>

#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/attr/password_algorithm.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

struct PasswordAlgorithms {
  static constexpr uint16_t kType = attr::kPasswordAlgorithms;
  static constexpr size_t kMaxAlgorithms = 8;
  std::array<uint16_t, kMaxAlgorithms> algorithms{};
  size_t count = 0;
  Bytes raw;  // set by get_from

  void add_to(MessageBuilder& builder) const noexcept {
    MutableBytes out = builder.reserve(kType, count * 4);
    for (size_t i = 0; i < count && !out.empty(); ++i) {
      store_be16(out.data() + 4 * i, algorithms[i]);  // parameter length stays 0
    }
  }
  static DecodeStatus get_from(const MessageView& message, PasswordAlgorithms& out) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    Bytes v = found->value;
    out.count = 0;
    out.raw = v;
    size_t offset = 0;
    while (offset < v.size()) {
      if (offset + 4 > v.size()) return DecodeStatus::kMalformed;
      size_t params = pad4(load_be16(v.data() + offset + 2));
      if (offset + 4 + params > v.size()) return DecodeStatus::kMalformed;
      if (out.count < kMaxAlgorithms) out.algorithms[out.count++] = load_be16(v.data() + offset);
      offset += 4 + params;
    }
    return DecodeStatus::kOk;
  }
};

}  // namespace turnd::stun

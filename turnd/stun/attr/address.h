// The STUN address encoding shared by MAPPED-ADDRESS, XOR-MAPPED-ADDRESS,
// XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS and ALTERNATE-SERVER (RFC 8489
// §14.1-14.2): family, port and address, optionally XORed with the magic
// cookie and the transaction id.
#pragma once

#include "turnd/common/address.h"
#include "turnd/stun/attr/decode_status.h"
#include "turnd/stun/message.h"

namespace turnd::stun {

DecodeStatus decode_address(Bytes value, bool xored, Bytes transaction_id,
                            SocketAddress& out) noexcept;
void encode_address(MessageBuilder& builder, uint16_t type, const SocketAddress& address,
                    bool xored) noexcept;

template <uint16_t kTypeValue, bool kXored>
struct AddressAttribute {
  static constexpr uint16_t kType = kTypeValue;
  SocketAddress address;

  void add_to(MessageBuilder& builder) const noexcept {
    encode_address(builder, kType, address, kXored);
  }
  static DecodeStatus get_from(const MessageView& message, AddressAttribute& out) noexcept {
    auto found = message.find(kType);
    if (!found) return DecodeStatus::kAbsent;
    return decode_address(found->value, kXored, message.transaction_id(), out.address);
  }
  // For attributes that may repeat (XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS).
  static DecodeStatus decode(const MessageView& message, const Attribute& a,
                             AddressAttribute& out) noexcept {
    return decode_address(a.value, kXored, message.transaction_id(), out.address);
  }
};

}  // namespace turnd::stun

// Payload types and header-extension IDs from one numbering (a publisher's
// SDP) into another (the subscribers', sfu/sdp/subscriber_formats.h), in place
// on the packet. An extension without a new ID becomes padding — zero bytes,
// which RFC 8285 §4.2/§4.3 lets stand between elements — so no byte moves.
// No allocation, no exceptions: it runs once per packet a publisher sends.
#pragma once

#include <array>
#include <cstdint>

#include "turnd/common/bytes.h"

namespace turnd::sfu::rtp {

class RtpPacketView;

class RtpRewrite {
 public:
  RtpRewrite() noexcept { payload_types_.fill(kNotForwarded); }

  void map_payload_type(uint8_t from, uint8_t to) noexcept;  // both < 128
  void map_extension(uint8_t from, uint8_t to) noexcept;     // to: 1..14 (one-byte form too)

  // false, with the packet unchanged, when it does not parse or its payload
  // type has no mapping (the subscribers were not offered it).
  bool apply(MutableBytes packet) const noexcept;
  // The same for a packet already parsed: `parsed` views `packet`.
  bool apply(MutableBytes packet, const RtpPacketView& parsed) const noexcept;

 private:
  static constexpr uint8_t kNotForwarded = 0xFF;
  std::array<uint8_t, 128> payload_types_;
  std::array<uint8_t, 256> extensions_{};  // 0: becomes padding
};

}  // namespace turnd::sfu::rtp

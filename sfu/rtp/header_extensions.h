// Values of the header extensions an SFU reads or rewrites, found with
// RtpPacketView::find_extension / MutableRtpPacket::extension by the IDs the
// SDP's a=extmap lines negotiated. Each reader checks the length; writers
// need a value of exactly the right size.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "turnd/common/bytes.h"

namespace turnd::sfu::rtp {

// abs-send-time (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time):
// 24 bits, seconds in 6.18 fixed point, wrapping every 64 s.
inline constexpr size_t kAbsSendTimeSize = 3;
constexpr uint32_t abs_send_time_from_us(uint64_t microseconds) noexcept {
  return static_cast<uint32_t>(((microseconds << 18) / 1'000'000) & 0xFFFFFF);
}
inline std::optional<uint32_t> read_abs_send_time(Bytes value) noexcept {
  if (value.size() != kAbsSendTimeSize) return std::nullopt;
  return (static_cast<uint32_t>(value[0]) << 16) | (static_cast<uint32_t>(value[1]) << 8) |
         static_cast<uint32_t>(value[2]);
}
inline bool write_abs_send_time(MutableBytes value, uint32_t abs_send_time) noexcept {
  if (value.size() != kAbsSendTimeSize) return false;
  value[0] = static_cast<std::byte>(abs_send_time >> 16);
  value[1] = static_cast<std::byte>(abs_send_time >> 8);
  value[2] = static_cast<std::byte>(abs_send_time);
  return true;
}

// transport-wide-cc-01 (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2):
// the 16-bit transport-wide sequence number.
inline constexpr size_t kTransportSequenceSize = 2;
inline std::optional<uint16_t> read_transport_sequence(Bytes value) noexcept {
  if (value.size() != kTransportSequenceSize) return std::nullopt;
  return load_be16(value.data());
}
inline bool write_transport_sequence(MutableBytes value, uint16_t seq) noexcept {
  if (value.size() != kTransportSequenceSize) return false;
  store_be16(value.data(), seq);
  return true;
}

// ssrc-audio-level (RFC 6464 §3): voice activity flag and level in -dBov.
struct AudioLevel {
  bool voice = false;
  uint8_t level = 127;  // 0 (loudest) .. 127 (silence)
};
inline std::optional<AudioLevel> read_audio_level(Bytes value) noexcept {
  if (value.empty()) return std::nullopt;  // 1 byte, possibly padded to 2 in two-byte form
  const auto b = static_cast<uint8_t>(value[0]);
  return AudioLevel{(b & 0x80) != 0, static_cast<uint8_t>(b & 0x7F)};
}

// sdes:mid (RFC 8843 §15.2): the media section's identification tag.
inline std::string_view read_mid(Bytes value) noexcept {
  return as_string(value);
}

}  // namespace turnd::sfu::rtp

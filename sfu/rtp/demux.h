// First-byte demultiplexing of what arrives on a WebRTC transport's socket
// (RFC 7983 §7, extended by RFC 9443), and RTP / RTCP told apart by the
// second byte (RFC 5761 §4: with rtcp-mux, RTCP packet types 192–223 never
// collide with the dynamic or static RTP payload types in use).
#pragma once

#include <cstdint>

#include "turnd/common/bytes.h"

namespace turnd::sfu::rtp {

enum class PacketKind : uint8_t {
  kUnknown,  // ZRTP, TURN ChannelData, QUIC, empty or too short: drop
  kStun,     // first byte 0..3
  kDtls,     // first byte 20..63
  kRtp,      // first byte 128..191, any other second byte
  kRtcp,     // first byte 128..191, second byte 192..223 (RTCP PT 192..223;
             // as RTP it would be the marker bit and PT 64..95, never used)
};

constexpr const char* to_string(PacketKind kind) noexcept {
  switch (kind) {
    case PacketKind::kStun:
      return "stun";
    case PacketKind::kDtls:
      return "dtls";
    case PacketKind::kRtp:
      return "rtp";
    case PacketKind::kRtcp:
      return "rtcp";
    case PacketKind::kUnknown:
      break;
  }
  return "unknown";
}

// Classifies by the first two bytes only; the parsers check the rest.
constexpr PacketKind classify(Bytes data) noexcept {
  if (data.empty()) return PacketKind::kUnknown;
  const auto first = static_cast<uint8_t>(data[0]);
  if (first <= 3) return PacketKind::kStun;
  if (first >= 20 && first <= 63) return PacketKind::kDtls;
  if (first >= 128 && first <= 191) {
    if (data.size() < 2) return PacketKind::kUnknown;
    const auto second = static_cast<uint8_t>(data[1]);
    return second >= 192 && second <= 223 ? PacketKind::kRtcp : PacketKind::kRtp;
  }
  return PacketKind::kUnknown;
}

}  // namespace turnd::sfu::rtp

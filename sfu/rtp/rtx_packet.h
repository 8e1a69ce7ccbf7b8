// RTX retransmission packets (RFC 4588 §4): the original header under the
// RTX stream's SSRC, payload type and sequence number, with the original
// sequence number (OSN) in front of the original payload. Built into and
// restored from caller buffers; no allocation, no exceptions.
#pragma once

#include <cstdint>
#include <optional>

#include "sfu/rtp/rtp_packet.h"

namespace turnd::sfu::rtp {

inline constexpr size_t kRtxOsnSize = 2;

// Writes the RTX packet retransmitting `original` into `out`: its header
// (CSRCs and extensions kept, padding dropped), the OSN, its payload.
// Returns the size written, 0 when it does not fit.
size_t build_rtx_packet(const RtpPacketView& original, MutableBytes out, uint8_t rtx_payload_type,
                        uint32_t rtx_ssrc, uint16_t rtx_sequence) noexcept;

// The OSN of an RTX packet; nullopt when its payload is shorter than two
// bytes (an RTX padding-only packet used for probing).
std::optional<uint16_t> rtx_original_sequence(const RtpPacketView& rtx) noexcept;

// Writes the original packet carried by `rtx` into `out`, with the original
// stream's `payload_type` and `ssrc` and the OSN as its sequence number.
// Returns the size written, 0 when it does not fit or carries no OSN.
size_t restore_from_rtx(const RtpPacketView& rtx, MutableBytes out, uint8_t payload_type,
                        uint32_t ssrc) noexcept;

}  // namespace turnd::sfu::rtp

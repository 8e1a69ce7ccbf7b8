// RTCP feedback messages an SFU sends and receives (RFC 4585 §6): generic
// NACK (RTPFB 1), picture loss indication (PSFB 1), full intra request
// (PSFB 4, RFC 5104 §4.3.1) and receiver estimated maximum bitrate (PSFB 15
// "REMB", draft-alvestrand-rmcat-remb-03 §2.2). Transport-wide congestion
// control feedback (RTPFB 15) is in transport_cc.h. Views point into the
// packet; builders write into a caller buffer and return the size written,
// 0 when it does not fit. No allocation, no exceptions.
#pragma once

#include <cstdint>
#include <span>

#include "sfu/rtp/rtcp.h"

namespace turnd::sfu::rtp {

inline constexpr uint8_t kFmtNack = 1;                              // RTPFB
inline constexpr uint8_t kFmtTransportCc = 15;                      // RTPFB
inline constexpr uint8_t kFmtPli = 1;                               // PSFB
inline constexpr uint8_t kFmtFir = 4;                               // PSFB
inline constexpr uint8_t kFmtAfb = 15;                              // PSFB application layer: REMB
inline constexpr size_t kFeedbackHeaderSize = kRtcpHeaderSize + 8;  // + sender, media SSRC

// The part every feedback message shares: two SSRCs and the FCI.
class FeedbackView {
 public:
  // kWrongType unless packet has `type` and `fmt`; kBadBody when shorter
  // than the two SSRCs.
  static RtcpError parse(const RtcpPacketView& packet, uint8_t type, uint8_t fmt,
                         FeedbackView& out) noexcept;

  uint32_t sender_ssrc() const noexcept { return load_be32(body_.data()); }
  uint32_t media_ssrc() const noexcept { return load_be32(body_.data() + 4); }
  // Feedback control information: what follows the two SSRCs.
  Bytes fci() const noexcept { return body_.subspan(8); }

 private:
  Bytes body_;
};

// Generic NACK: FCI items of PID (a lost sequence number) and BLP (a bitmask
// of the 16 following ones, bit i meaning PID + i + 1 is lost too).
class NackView : public FeedbackView {
 public:
  static RtcpError parse(const RtcpPacketView& packet, NackView& out) noexcept;

  size_t item_count() const noexcept { return fci().size() / 4; }
  uint16_t pid(size_t i) const noexcept { return load_be16(fci().data() + 4 * i); }
  uint16_t blp(size_t i) const noexcept { return load_be16(fci().data() + 4 * i + 2); }
  // Calls fn(uint16_t seq) for every sequence number reported lost, in
  // packet order (PID, then its BLP bits from the lowest).
  template <typename Fn>
  void for_each_lost(Fn&& fn) const noexcept {
    for (size_t i = 0; i < item_count(); ++i) {
      const uint16_t base = pid(i);
      const uint16_t mask = blp(i);
      fn(base);
      for (unsigned bit = 0; bit < 16; ++bit) {
        if ((mask >> bit) & 1u) fn(static_cast<uint16_t>(base + bit + 1));
      }
    }
  }
};

class PliView : public FeedbackView {
 public:
  static RtcpError parse(const RtcpPacketView& packet, PliView& out) noexcept;
};

struct FirEntry {
  uint32_t ssrc = 0;     // the media sender asked for a key frame
  uint8_t sequence = 0;  // incremented per new request (RFC 5104 §4.3.1.1)
  bool operator==(const FirEntry&) const = default;
};

class FirView : public FeedbackView {
 public:
  static RtcpError parse(const RtcpPacketView& packet, FirView& out) noexcept;

  size_t entry_count() const noexcept { return fci().size() / 8; }
  FirEntry entry(size_t i) const noexcept {
    const std::byte* p = fci().data() + 8 * i;
    return FirEntry{load_be32(p), static_cast<uint8_t>(p[4])};
  }
};

class RembView : public FeedbackView {
 public:
  // kWrongType also for an application-layer feedback that is not "REMB".
  static RtcpError parse(const RtcpPacketView& packet, RembView& out) noexcept;

  // Mantissa << exponent, saturated at UINT64_MAX.
  uint64_t bitrate_bps() const noexcept;
  size_t ssrc_count() const noexcept { return static_cast<uint8_t>(fci()[4]); }
  uint32_t ssrc(size_t i) const noexcept { return load_be32(fci().data() + 8 + 4 * i); }
};

// REMB's bitrate as 6-bit exponent and 18-bit mantissa, rounded down.
struct RembBitrate {
  uint8_t exponent = 0;
  uint32_t mantissa = 0;
};
RembBitrate encode_remb_bitrate(uint64_t bps) noexcept;

// Builders.
size_t build_pli(MutableBytes out, uint32_t sender_ssrc, uint32_t media_ssrc) noexcept;
// FIR with one FCI entry per media sender (media SSRC field 0).
size_t build_fir(MutableBytes out, uint32_t sender_ssrc,
                 std::span<const FirEntry> entries) noexcept;
// Packs `lost` (in ascending order modulo 2^16, as a receiver detects gaps)
// into PID/BLP items: each item covers its PID and the 16 numbers after it.
// Duplicates are dropped. 0 for an empty list.
size_t build_nack(MutableBytes out, uint32_t sender_ssrc, uint32_t media_ssrc,
                  std::span<const uint16_t> lost) noexcept;
// The number of FCI items build_nack would write for `lost`.
size_t nack_item_count(std::span<const uint16_t> lost) noexcept;
// At most 255 SSRCs.
size_t build_remb(MutableBytes out, uint32_t sender_ssrc, uint64_t bitrate_bps,
                  std::span<const uint32_t> ssrcs) noexcept;

}  // namespace turnd::sfu::rtp

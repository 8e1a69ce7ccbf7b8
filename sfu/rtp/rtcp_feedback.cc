#include "sfu/rtp/rtcp_feedback.h"

#include <algorithm>
#include <iterator>
#include <limits>

namespace turnd::sfu::rtp {

namespace {

constexpr std::byte kRembId[4] = {std::byte{'R'}, std::byte{'E'}, std::byte{'M'}, std::byte{'B'}};

// Calls emit(pid, blp) for each NACK item covering `lost`.
template <typename Fn>
void pack_nack(std::span<const uint16_t> lost, Fn&& emit) noexcept {
  bool open = false;
  uint16_t pid = 0;
  uint16_t blp = 0;
  for (uint16_t seq : lost) {
    if (open) {
      const auto diff = static_cast<uint16_t>(seq - pid);
      if (diff == 0) continue;
      if (diff <= 16) {
        blp = static_cast<uint16_t>(blp | (1u << (diff - 1)));
        continue;
      }
      emit(pid, blp);
    }
    pid = seq;
    blp = 0;
    open = true;
  }
  if (open) emit(pid, blp);
}

// Header and both SSRCs of a feedback message of `size` bytes.
void write_feedback_header(std::byte* p, uint8_t fmt, uint8_t type, size_t size,
                           uint32_t sender_ssrc, uint32_t media_ssrc) noexcept {
  write_rtcp_header(p, fmt, type, size);
  store_be32(p + 4, sender_ssrc);
  store_be32(p + 8, media_ssrc);
}

}  // namespace

// --- views ---------------------------------------------------------------------

RtcpError FeedbackView::parse(const RtcpPacketView& packet, uint8_t type, uint8_t fmt,
                              FeedbackView& out) noexcept {
  out.body_ = Bytes();
  if (packet.type() != type || packet.fmt() != fmt) return RtcpError::kWrongType;
  if (packet.body().size() < 8) return RtcpError::kBadBody;
  out.body_ = packet.body();
  return RtcpError::kOk;
}

RtcpError NackView::parse(const RtcpPacketView& packet, NackView& out) noexcept {
  RtcpError error = FeedbackView::parse(packet, kRtcpRtpfb, kFmtNack, out);
  if (error != RtcpError::kOk) return error;
  if (out.fci().empty() || out.fci().size() % 4 != 0) {
    out = NackView();
    return RtcpError::kBadBody;
  }
  return RtcpError::kOk;
}

RtcpError PliView::parse(const RtcpPacketView& packet, PliView& out) noexcept {
  return FeedbackView::parse(packet, kRtcpPsfb, kFmtPli, out);
}

RtcpError FirView::parse(const RtcpPacketView& packet, FirView& out) noexcept {
  RtcpError error = FeedbackView::parse(packet, kRtcpPsfb, kFmtFir, out);
  if (error != RtcpError::kOk) return error;
  if (out.fci().empty() || out.fci().size() % 8 != 0) {
    out = FirView();
    return RtcpError::kBadBody;
  }
  return RtcpError::kOk;
}

RtcpError RembView::parse(const RtcpPacketView& packet, RembView& out) noexcept {
  RtcpError error = FeedbackView::parse(packet, kRtcpPsfb, kFmtAfb, out);
  if (error != RtcpError::kOk) return error;
  const Bytes fci = out.fci();
  if (fci.size() < 4 || !std::equal(fci.begin(), fci.begin() + 4, kRembId)) {
    out = RembView();
    return RtcpError::kWrongType;
  }
  if (fci.size() < 8 || fci.size() < 8 + 4 * out.ssrc_count()) {
    out = RembView();
    return RtcpError::kBadBody;
  }
  return RtcpError::kOk;
}

uint64_t RembView::bitrate_bps() const noexcept {
  const uint32_t word = load_be32(fci().data() + 4);
  const unsigned exponent = (word >> 18) & 0x3F;
  const uint64_t mantissa = word & 0x3FFFF;
  if (exponent > 46 && (mantissa >> (64 - exponent)) != 0) {
    return std::numeric_limits<uint64_t>::max();
  }
  return mantissa << exponent;
}

RembBitrate encode_remb_bitrate(uint64_t bps) noexcept {
  uint8_t exponent = 0;
  while ((bps >> exponent) > 0x3FFFF) ++exponent;
  return RembBitrate{exponent, static_cast<uint32_t>(bps >> exponent)};
}

// --- builders ------------------------------------------------------------------

size_t build_pli(MutableBytes out, uint32_t sender_ssrc, uint32_t media_ssrc) noexcept {
  if (out.size() < kFeedbackHeaderSize) return 0;
  write_feedback_header(out.data(), kFmtPli, kRtcpPsfb, kFeedbackHeaderSize, sender_ssrc,
                        media_ssrc);
  return kFeedbackHeaderSize;
}

size_t build_fir(MutableBytes out, uint32_t sender_ssrc,
                 std::span<const FirEntry> entries) noexcept {
  const size_t size = kFeedbackHeaderSize + 8 * entries.size();
  if (entries.empty() || size > out.size()) return 0;
  std::byte* p = out.data();
  write_feedback_header(p, kFmtFir, kRtcpPsfb, size, sender_ssrc, 0);
  p += kFeedbackHeaderSize;
  for (const FirEntry& entry : entries) {
    store_be32(p, entry.ssrc);
    store_be32(p + 4, uint32_t{entry.sequence} << 24);
    p += 8;
  }
  return size;
}

size_t nack_item_count(std::span<const uint16_t> lost) noexcept {
  size_t items = 0;
  pack_nack(lost, [&](uint16_t, uint16_t) { ++items; });
  return items;
}

size_t build_nack(MutableBytes out, uint32_t sender_ssrc, uint32_t media_ssrc,
                  std::span<const uint16_t> lost) noexcept {
  const size_t items = nack_item_count(lost);
  const size_t size = kFeedbackHeaderSize + 4 * items;
  if (items == 0 || size > out.size() || size / 4 - 1 > 0xFFFF) return 0;
  std::byte* p = out.data();
  write_feedback_header(p, kFmtNack, kRtcpRtpfb, size, sender_ssrc, media_ssrc);
  p += kFeedbackHeaderSize;
  pack_nack(lost, [&](uint16_t pid, uint16_t blp) {
    store_be16(p, pid);
    store_be16(p + 2, blp);
    p += 4;
  });
  return size;
}

size_t build_remb(MutableBytes out, uint32_t sender_ssrc, uint64_t bitrate_bps,
                  std::span<const uint32_t> ssrcs) noexcept {
  const size_t size = kFeedbackHeaderSize + 8 + 4 * ssrcs.size();
  if (ssrcs.size() > 255 || size > out.size()) return 0;
  std::byte* p = out.data();
  write_feedback_header(p, kFmtAfb, kRtcpPsfb, size, sender_ssrc, 0);
  p += kFeedbackHeaderSize;
  std::copy(std::begin(kRembId), std::end(kRembId), p);
  const RembBitrate bitrate = encode_remb_bitrate(bitrate_bps);
  store_be32(p + 4, (static_cast<uint32_t>(ssrcs.size()) << 24) |
                        (uint32_t{bitrate.exponent} << 18) | bitrate.mantissa);
  p += 8;
  for (uint32_t ssrc : ssrcs) {
    store_be32(p, ssrc);
    p += 4;
  }
  return size;
}

}  // namespace turnd::sfu::rtp

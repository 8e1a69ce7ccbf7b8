#include "sfu/rtp/rtx_packet.h"

#include <algorithm>

namespace turnd::sfu::rtp {

namespace {

// Copies `header` to `out` with the padding bit cleared and new PT, SSRC
// and sequence number (the marker bit is kept).
void copy_header(Bytes header, std::byte* out, uint8_t payload_type, uint32_t ssrc,
                 uint16_t seq) noexcept {
  std::copy(header.begin(), header.end(), out);
  out[0] &= std::byte{0xDF};
  out[1] = (out[1] & std::byte{0x80}) | static_cast<std::byte>(payload_type & 0x7F);
  store_be16(out + 2, seq);
  store_be32(out + 8, ssrc);
}

}  // namespace

size_t build_rtx_packet(const RtpPacketView& original, MutableBytes out, uint8_t rtx_payload_type,
                        uint32_t rtx_ssrc, uint16_t rtx_sequence) noexcept {
  const Bytes header = original.data().first(original.header_size());
  const Bytes payload = original.payload();
  const size_t size = header.size() + kRtxOsnSize + payload.size();
  if (header.empty() || size > out.size()) return 0;
  std::byte* p = out.data();
  copy_header(header, p, rtx_payload_type, rtx_ssrc, rtx_sequence);
  store_be16(p + header.size(), original.sequence_number());
  std::copy(payload.begin(), payload.end(), p + header.size() + kRtxOsnSize);
  return size;
}

std::optional<uint16_t> rtx_original_sequence(const RtpPacketView& rtx) noexcept {
  const Bytes payload = rtx.payload();
  if (payload.size() < kRtxOsnSize) return std::nullopt;
  return load_be16(payload.data());
}

size_t restore_from_rtx(const RtpPacketView& rtx, MutableBytes out, uint8_t payload_type,
                        uint32_t ssrc) noexcept {
  const std::optional<uint16_t> osn = rtx_original_sequence(rtx);
  if (!osn) return 0;
  const Bytes header = rtx.data().first(rtx.header_size());
  const Bytes payload = rtx.payload().subspan(kRtxOsnSize);
  const size_t size = header.size() + payload.size();
  if (size > out.size()) return 0;
  copy_header(header, out.data(), payload_type, ssrc, *osn);
  std::copy(payload.begin(), payload.end(), out.data() + header.size());
  return size;
}

}  // namespace turnd::sfu::rtp

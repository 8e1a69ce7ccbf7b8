#include "sfu/rtp/transport_cc.h"

namespace turnd::sfu::rtp {

RtcpError TransportCcView::parse(const RtcpPacketView& packet, TransportCcView& out) noexcept {
  out = TransportCcView();
  RtcpError error = FeedbackView::parse(packet, kRtcpRtpfb, kFmtTransportCc, out);
  if (error != RtcpError::kOk) return error;
  const Bytes fci = out.fci();
  if (fci.size() < 8) {
    out = TransportCcView();
    return RtcpError::kBadBody;
  }
  size_t delta_bytes = 0;
  const uint16_t count = load_be16(fci.data() + 2);
  const size_t chunk_bytes = walk_chunks(fci.subspan(8), count, [&](PacketStatus status) {
    delta_bytes += static_cast<size_t>(status);  // 0, 1 or 2 bytes
  });
  if ((count > 0 && chunk_bytes == 0) || 8 + chunk_bytes + delta_bytes > fci.size()) {
    out = TransportCcView();
    return RtcpError::kBadBody;
  }
  out.deltas_offset_ = 8 + chunk_bytes;
  return RtcpError::kOk;
}

}  // namespace turnd::sfu::rtp

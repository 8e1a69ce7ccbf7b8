#include "sfu/rtp/rtcp_reports.h"

#include <algorithm>
#include <cstring>

namespace turnd::sfu::rtp {

// --- views ---------------------------------------------------------------------

RtcpError SenderReportView::parse(const RtcpPacketView& packet, SenderReportView& out) noexcept {
  out = SenderReportView();
  if (packet.type() != kRtcpSenderReport) return RtcpError::kWrongType;
  const Bytes body = packet.body();
  // Profile-specific extensions may follow the report blocks (§6.4.1).
  if (body.size() < 4 + kSenderInfoSize + packet.count() * kReportBlockSize) {
    return RtcpError::kBadBody;
  }
  out.body_ = body;
  out.count_ = packet.count();
  return RtcpError::kOk;
}

SenderInfo SenderReportView::sender_info() const noexcept {
  const std::byte* p = body_.data() + 4;
  SenderInfo info;
  info.ntp_timestamp = (uint64_t{load_be32(p)} << 32) | load_be32(p + 4);
  info.rtp_timestamp = load_be32(p + 8);
  info.packet_count = load_be32(p + 12);
  info.octet_count = load_be32(p + 16);
  return info;
}

RtcpError ReceiverReportView::parse(const RtcpPacketView& packet,
                                    ReceiverReportView& out) noexcept {
  out = ReceiverReportView();
  if (packet.type() != kRtcpReceiverReport) return RtcpError::kWrongType;
  const Bytes body = packet.body();
  if (body.size() < 4 + packet.count() * kReportBlockSize) return RtcpError::kBadBody;
  out.body_ = body;
  out.count_ = packet.count();
  return RtcpError::kOk;
}

RtcpError SdesView::parse(const RtcpPacketView& packet, SdesView& out) noexcept {
  out = SdesView();
  if (packet.type() != kRtcpSdes) return RtcpError::kWrongType;
  if (!walk(packet.body(), packet.count(), [](uint32_t, uint8_t, std::string_view) {})) {
    return RtcpError::kBadBody;
  }
  out.body_ = packet.body();
  out.count_ = packet.count();
  return RtcpError::kOk;
}

std::optional<std::string_view> SdesView::cname(uint32_t ssrc) const noexcept {
  std::optional<std::string_view> found;
  for_each_item([&](uint32_t chunk_ssrc, uint8_t type, std::string_view text) {
    if (chunk_ssrc == ssrc && type == kSdesCname) found = text;
    return !found;
  });
  return found;
}

RtcpError ByeView::parse(const RtcpPacketView& packet, ByeView& out) noexcept {
  out = ByeView();
  if (packet.type() != kRtcpBye) return RtcpError::kWrongType;
  const Bytes body = packet.body();
  const size_t ssrcs = size_t{4} * packet.count();
  if (body.size() < ssrcs) return RtcpError::kBadBody;
  if (body.size() > ssrcs) {  // length-prefixed reason for leaving (§6.6)
    const size_t length = static_cast<uint8_t>(body[ssrcs]);
    if (ssrcs + 1 + length > body.size()) return RtcpError::kBadBody;
    out.reason_ = as_string(body.subspan(ssrcs + 1, length));
  }
  out.body_ = body;
  out.count_ = packet.count();
  return RtcpError::kOk;
}

// --- builders ------------------------------------------------------------------

namespace {

void write_blocks(std::byte* p, std::span<const ReportBlock> reports) noexcept {
  for (const ReportBlock& block : reports) {
    block.write(p);
    p += kReportBlockSize;
  }
}

}  // namespace

size_t build_sender_report(MutableBytes out, uint32_t sender_ssrc, const SenderInfo& info,
                           std::span<const ReportBlock> reports) noexcept {
  const size_t size = kRtcpHeaderSize + 4 + kSenderInfoSize + reports.size() * kReportBlockSize;
  if (reports.size() > kMaxRtcpCount || size > out.size()) return 0;
  std::byte* p = out.data();
  write_rtcp_header(p, static_cast<uint8_t>(reports.size()), kRtcpSenderReport, size);
  store_be32(p + 4, sender_ssrc);
  store_be32(p + 8, static_cast<uint32_t>(info.ntp_timestamp >> 32));
  store_be32(p + 12, static_cast<uint32_t>(info.ntp_timestamp));
  store_be32(p + 16, info.rtp_timestamp);
  store_be32(p + 20, info.packet_count);
  store_be32(p + 24, info.octet_count);
  write_blocks(p + 28, reports);
  return size;
}

size_t build_receiver_report(MutableBytes out, uint32_t sender_ssrc,
                             std::span<const ReportBlock> reports) noexcept {
  const size_t size = kRtcpHeaderSize + 4 + reports.size() * kReportBlockSize;
  if (reports.size() > kMaxRtcpCount || size > out.size()) return 0;
  std::byte* p = out.data();
  write_rtcp_header(p, static_cast<uint8_t>(reports.size()), kRtcpReceiverReport, size);
  store_be32(p + 4, sender_ssrc);
  write_blocks(p + 8, reports);
  return size;
}

size_t build_sdes_cname(MutableBytes out, uint32_t ssrc, std::string_view cname) noexcept {
  // SSRC, CNAME item (type, length, text), then at least one null octet.
  const size_t size = kRtcpHeaderSize + pad4(4 + 2 + cname.size() + 1);
  if (cname.size() > 255 || size > out.size()) return 0;
  std::byte* p = out.data();
  std::fill(p, p + size, std::byte{0});
  write_rtcp_header(p, 1, kRtcpSdes, size);
  store_be32(p + 4, ssrc);
  p[8] = static_cast<std::byte>(kSdesCname);
  p[9] = static_cast<std::byte>(cname.size());
  if (!cname.empty()) std::memcpy(p + 10, cname.data(), cname.size());
  return size;
}

size_t build_bye(MutableBytes out, std::span<const uint32_t> ssrcs,
                 std::string_view reason) noexcept {
  const size_t reason_size = reason.empty() ? 0 : pad4(1 + reason.size());
  const size_t size = kRtcpHeaderSize + 4 * ssrcs.size() + reason_size;
  if (ssrcs.size() > kMaxRtcpCount || reason.size() > 255 || size > out.size()) return 0;
  std::byte* p = out.data();
  std::fill(p, p + size, std::byte{0});
  write_rtcp_header(p, static_cast<uint8_t>(ssrcs.size()), kRtcpBye, size);
  p += kRtcpHeaderSize;
  for (uint32_t ssrc : ssrcs) {
    store_be32(p, ssrc);
    p += 4;
  }
  if (!reason.empty()) {
    p[0] = static_cast<std::byte>(reason.size());
    std::memcpy(p + 1, reason.data(), reason.size());
  }
  return size;
}

}  // namespace turnd::sfu::rtp

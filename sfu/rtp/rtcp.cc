#include "sfu/rtp/rtcp.h"

#include <algorithm>

namespace turnd::sfu::rtp {

const char* to_string(RtcpError error) noexcept {
  switch (error) {
    case RtcpError::kOk:
      return "ok";
    case RtcpError::kTooShort:
      return "shorter than an RTCP header";
    case RtcpError::kBadVersion:
      return "RTCP version is not 2";
    case RtcpError::kBadLength:
      return "RTCP length runs past the end";
    case RtcpError::kBadPadding:
      return "bad RTCP padding count";
    case RtcpError::kWrongType:
      return "other RTCP packet type";
    case RtcpError::kBadBody:
      return "RTCP body does not match its format";
  }
  return "?";
}

RtcpError RtcpPacketView::parse(Bytes data, RtcpPacketView& out) noexcept {
  out = RtcpPacketView();
  if (data.size() < kRtcpHeaderSize) return RtcpError::kTooShort;
  const auto first = static_cast<uint8_t>(data[0]);
  if ((first >> 6) != 2) return RtcpError::kBadVersion;
  const size_t size = (size_t{load_be16(data.data() + 2)} + 1) * 4;
  if (size > data.size()) return RtcpError::kBadLength;
  size_t body = size - kRtcpHeaderSize;
  if ((first & 0x20) != 0) {
    const auto padding = static_cast<uint8_t>(data[size - 1]);
    if (padding == 0 || padding > body) return RtcpError::kBadPadding;
    body -= padding;
  }
  out.data_ = data.first(size);
  out.body_size_ = body;
  return RtcpError::kOk;
}

RtcpError RtcpCompound::parse(Bytes data, RtcpCompound& out) noexcept {
  out = RtcpCompound();
  if (data.empty()) return RtcpError::kTooShort;
  size_t count = 0;
  for (Bytes rest = data; !rest.empty(); ++count) {
    RtcpPacketView packet;
    RtcpError error = RtcpPacketView::parse(rest, packet);
    if (error != RtcpError::kOk) return error;
    rest = rest.subspan(packet.data().size());
  }
  out.data_ = data;
  out.packet_count_ = count;
  return RtcpError::kOk;
}

void RtcpCompound::Iterator::load() noexcept {
  if (rest_.empty()) return;
  RtcpPacketView::parse(rest_, current_);  // checked by RtcpCompound::parse
}

RtcpCompound::Iterator& RtcpCompound::Iterator::operator++() noexcept {
  rest_ = rest_.subspan(std::min(rest_.size(), current_.data().size()));
  load();
  return *this;
}

ReportBlock ReportBlock::read(const std::byte* p) noexcept {
  ReportBlock b;
  b.ssrc = load_be32(p);
  b.fraction_lost = static_cast<uint8_t>(p[4]);
  uint32_t lost = load_be32(p + 4) & 0xFFFFFF;
  b.cumulative_lost = static_cast<int32_t>(lost << 8) >> 8;  // sign-extend 24 bits
  b.extended_highest_sequence = load_be32(p + 8);
  b.jitter = load_be32(p + 12);
  b.last_sr = load_be32(p + 16);
  b.delay_since_last_sr = load_be32(p + 20);
  return b;
}

void ReportBlock::write(std::byte* p) const noexcept {
  store_be32(p, ssrc);
  const int32_t lost = std::clamp(cumulative_lost, -0x800000, 0x7FFFFF);
  store_be32(p + 4, (uint32_t{fraction_lost} << 24) | (static_cast<uint32_t>(lost) & 0xFFFFFF));
  store_be32(p + 8, extended_highest_sequence);
  store_be32(p + 12, jitter);
  store_be32(p + 16, last_sr);
  store_be32(p + 20, delay_since_last_sr);
}

void write_rtcp_header(std::byte* p, uint8_t count, uint8_t type, size_t size) noexcept {
  p[0] = static_cast<std::byte>(0x80 | (count & 0x1F));
  p[1] = static_cast<std::byte>(type);
  store_be16(p + 2, static_cast<uint16_t>(size / 4 - 1));
}

}  // namespace turnd::sfu::rtp

#include "sfu/rtp/rtp_packet.h"

#include <algorithm>

namespace turnd::sfu::rtp {

const char* to_string(RtpError error) noexcept {
  switch (error) {
    case RtpError::kOk:
      return "ok";
    case RtpError::kTooShort:
      return "shorter than the RTP header";
    case RtpError::kBadVersion:
      return "RTP version is not 2";
    case RtpError::kTruncatedCsrc:
      return "CSRC list truncated";
    case RtpError::kTruncatedExtension:
      return "header extension truncated";
    case RtpError::kBadExtensionElement:
      return "header extension element overflows";
    case RtpError::kBadPadding:
      return "bad padding count";
  }
  return "?";
}

namespace {

ExtensionForm form_of(uint16_t profile) noexcept {
  if (profile == kOneByteExtensionProfile) return ExtensionForm::kOneByte;
  if ((profile & 0xFFF0) == kTwoByteExtensionProfile) return ExtensionForm::kTwoByte;
  return ExtensionForm::kOther;
}

}  // namespace

RtpError RtpPacketView::parse(Bytes data, RtpPacketView& out) noexcept {
  out = RtpPacketView();
  if (data.size() < kRtpHeaderSize) return RtpError::kTooShort;
  const auto first = static_cast<uint8_t>(data[0]);
  if ((first >> 6) != 2) return RtpError::kBadVersion;

  size_t header = kRtpHeaderSize + size_t{4} * (first & 0x0F);
  if (header > data.size()) return RtpError::kTruncatedCsrc;

  ExtensionForm form = ExtensionForm::kNone;
  size_t extension_offset = header;
  size_t extension_size = 0;
  if ((first & 0x10) != 0) {
    if (header + 4 > data.size()) return RtpError::kTruncatedExtension;
    form = form_of(load_be16(data.data() + header));
    extension_size = size_t{4} * load_be16(data.data() + header + 2);
    extension_offset = header + 4;
    if (extension_offset + extension_size > data.size()) return RtpError::kTruncatedExtension;
    header = extension_offset + extension_size;
    bool valid = detail::walk_extensions(data.subspan(extension_offset, extension_size), form,
                                         [](uint8_t, size_t, size_t) { return true; });
    if (!valid) return RtpError::kBadExtensionElement;
  }

  uint8_t padding = 0;
  if ((first & 0x20) != 0) {
    padding = static_cast<uint8_t>(data.back());
    if (padding == 0 || padding > data.size() - header) return RtpError::kBadPadding;
  }

  out.data_ = data;
  out.header_size_ = header;
  out.extension_offset_ = extension_offset;
  out.extension_size_ = extension_size;
  out.padding_size_ = padding;
  out.form_ = form;
  return RtpError::kOk;
}

uint16_t RtpPacketView::extension_profile() const noexcept {
  if (form_ == ExtensionForm::kNone) return 0;
  return load_be16(data_.data() + extension_offset_ - 4);
}

bool RtpPacketView::locate_extension(uint8_t id, size_t& offset, size_t& length) const noexcept {
  bool found = false;
  detail::walk_extensions(extension_block(), form_, [&](uint8_t element, size_t o, size_t n) {
    if (element != id) return true;
    offset = extension_offset_ + o;
    length = n;
    found = true;
    return false;
  });
  return found;
}

std::optional<Bytes> RtpPacketView::find_extension(uint8_t id) const noexcept {
  size_t offset = 0;
  size_t length = 0;
  if (id == 0 || !locate_extension(id, offset, length)) return std::nullopt;
  return data_.subspan(offset, length);
}

RtpError MutableRtpPacket::parse(MutableBytes data, MutableRtpPacket& out) noexcept {
  RtpError error = RtpPacketView::parse(data, out.view_);
  out.data_ = error == RtpError::kOk ? data : MutableBytes();
  return error;
}

void MutableRtpPacket::set_marker(bool marker) noexcept {
  auto b = static_cast<uint8_t>(data_[1]);
  data_[1] = static_cast<std::byte>(marker ? (b | 0x80) : (b & 0x7F));
}

void MutableRtpPacket::set_payload_type(uint8_t payload_type) noexcept {
  auto b = static_cast<uint8_t>(data_[1]);
  data_[1] = static_cast<std::byte>((b & 0x80) | (payload_type & 0x7F));
}

MutableBytes MutableRtpPacket::extension(uint8_t id) noexcept {
  size_t offset = 0;
  size_t length = 0;
  if (id == 0 || !view_.locate_extension(id, offset, length)) return {};
  return data_.subspan(offset, length);
}

bool MutableRtpPacket::set_extension(uint8_t id, Bytes value) noexcept {
  size_t offset = 0;
  size_t length = 0;
  if (id == 0 || !view_.locate_extension(id, offset, length) || length != value.size()) {
    return false;
  }
  std::copy(value.begin(), value.end(), data_.begin() + static_cast<ptrdiff_t>(offset));
  return true;
}

}  // namespace turnd::sfu::rtp

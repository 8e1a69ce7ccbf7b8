#include "sfu/rtp/rtp_rewrite.h"

#include <algorithm>

#include "sfu/rtp/rtp_packet.h"

namespace turnd::sfu::rtp {

void RtpRewrite::map_payload_type(uint8_t from, uint8_t to) noexcept {
  if (from < payload_types_.size() && to < 128) payload_types_[from] = to;
}

void RtpRewrite::map_extension(uint8_t from, uint8_t to) noexcept {
  if (from != 0 && to >= 1 && to <= 14) extensions_[from] = to;
}

bool RtpRewrite::apply(MutableBytes packet) const noexcept {
  RtpPacketView view;
  return RtpPacketView::parse(packet, view) == RtpError::kOk && apply(packet, view);
}

bool RtpRewrite::apply(MutableBytes packet, const RtpPacketView& view) const noexcept {
  const uint8_t pt = payload_types_[view.payload_type()];
  if (pt == kNotForwarded) return false;
  const ExtensionForm form = view.extension_form();
  const Bytes block = view.extension_block();
  if (form == ExtensionForm::kOneByte || form == ExtensionForm::kTwoByte) {
    std::byte* base = packet.data() + (block.data() - packet.data());
    const size_t header = form == ExtensionForm::kOneByte ? 1 : 2;
    detail::walk_extensions(block, form, [&](uint8_t id, size_t offset, size_t length) {
      std::byte* element = base + offset - header;
      const uint8_t to = extensions_[id];
      if (to == 0) {
        std::fill(element, base + offset + length, std::byte{0});
      } else if (form == ExtensionForm::kOneByte) {
        element[0] = static_cast<std::byte>((to << 4) | (length - 1));
      } else {
        element[0] = static_cast<std::byte>(to);
      }
      return true;
    });
  }
  packet[1] = (packet[1] & std::byte{0x80}) | std::byte{pt};  // the marker bit stays
  return true;
}

}  // namespace turnd::sfu::rtp

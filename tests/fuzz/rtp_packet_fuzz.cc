// Fuzz target: the RTP parser (RFC 3550 header, RFC 8285 extensions), the
// in-place rewrites, RTX build/restore and the RtxBuffer on arbitrary bytes.
// Checks the invariants a forwarding SFU relies on.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "sfu/rtp/demux.h"
#include "sfu/rtp/header_extensions.h"
#include "sfu/rtp/rtp_packet.h"
#include "sfu/rtp/rtp_rewrite.h"
#include "sfu/rtp/rtx_buffer.h"
#include "sfu/rtp/rtx_packet.h"

using namespace turnd;
using namespace turnd::sfu::rtp;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void read_everything(const RtpPacketView& p) {
  check(p.header_size() + p.payload().size() + p.padding_size() == p.data().size());
  for (size_t i = 0; i < p.csrc_count(); ++i) (void)p.csrc(i);
  size_t elements = 0;
  p.for_each_extension([&](const HeaderExtension& e) {
    ++elements;
    auto found = p.find_extension(e.id);
    check(found.has_value());
    (void)read_abs_send_time(e.value);
    (void)read_transport_sequence(e.value);
    (void)read_audio_level(e.value);
    (void)read_mid(e.value);
    return true;
  });
  if (p.extension_form() == ExtensionForm::kNone || p.extension_form() == ExtensionForm::kOther) {
    check(elements == 0);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes input(reinterpret_cast<const std::byte*>(data), size);
  (void)classify(input);
  RtpPacketView view;
  if (RtpPacketView::parse(input, view) != RtpError::kOk) return 0;
  read_everything(view);

  // Rewrites on a copy: every field reads back, nothing else moves.
  std::vector<std::byte> copy(input.begin(), input.end());
  MutableRtpPacket m;
  check(MutableRtpPacket::parse(copy, m) == RtpError::kOk);
  m.set_ssrc(0x01020304);
  m.set_sequence_number(0xFFFF);
  m.set_timestamp(7);
  m.set_payload_type(96);
  m.set_marker(true);
  check(m.view().ssrc() == 0x01020304 && m.view().sequence_number() == 0xFFFF &&
        m.view().timestamp() == 7 && m.view().payload_type() == 96 && m.view().marker());
  for (uint8_t id = 1; id < 16; ++id) {
    MutableBytes value = m.extension(id);
    if (value.size() == kTransportSequenceSize) {
      check(write_transport_sequence(value, 0xBEEF));
      check(read_transport_sequence(*m.view().find_extension(id)) == 0xBEEF);
    }
  }
  check(copy.size() == size && view.payload().size() == m.view().payload().size());

  // Renumbering for subscribers (RtpRewrite): the packet still parses, with
  // the same payload; only mapped IDs remain.
  static const RtpRewrite rewrite = [] {
    RtpRewrite r;
    for (uint8_t pt = 0; pt < 128; pt += 2) r.map_payload_type(pt, 127 - pt);
    r.map_extension(1, 1);
    r.map_extension(4, 2);
    r.map_extension(200, 3);
    return r;
  }();
  std::vector<std::byte> renumbered(input.begin(), input.end());
  if (rewrite.apply(renumbered)) {
    RtpPacketView after;
    check(RtpPacketView::parse(renumbered, after) == RtpError::kOk);
    check(after.payload_type() == 127 - view.payload_type());
    check(after.payload().size() == view.payload().size());
    after.for_each_extension([&](const HeaderExtension& e) {
      check(e.id >= 1 && e.id <= 3);
      return true;
    });
  } else {
    check(view.payload_type() % 2 == 1 &&
          std::equal(renumbered.begin(), renumbered.end(), input.begin(), input.end()));
  }

  // RTX: build, parse, restore: the original minus its padding.
  std::array<std::byte, 2048> rtx{};
  const size_t n = build_rtx_packet(view, rtx, 97, 0x55667788, 1);
  if (n > 0) {
    RtpPacketView rtx_view;
    check(RtpPacketView::parse(Bytes(rtx).first(n), rtx_view) == RtpError::kOk);
    check(rtx_original_sequence(rtx_view) == view.sequence_number());
    std::array<std::byte, 2048> restored{};
    const size_t r = restore_from_rtx(rtx_view, restored, view.payload_type(), view.ssrc());
    check(r == view.header_size() + view.payload().size());
  }

  static RtxBuffer buffer(64, 1500);
  if (buffer.store(view.sequence_number(), input)) {
    Bytes found = buffer.find(view.sequence_number());
    check(found.size() == size);
  }
  return 0;
}

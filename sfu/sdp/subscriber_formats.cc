#include "sfu/sdp/subscriber_formats.h"

#include "sfu/sdp/codecs.h"
#include "sfu/sdp/text.h"

namespace turnd::sfu::sdp {
namespace {

std::optional<uint8_t> primary_payload_type(const Codec& c) {
  if (c.is("opus") && c.clock_rate == 48000 && c.channels == 2) return 111;
  if (c.clock_rate != 90000) return std::nullopt;
  if (c.is("VP8")) return 96;
  if (!c.is("H264") || c.parameter("packetization-mode") != "1") return std::nullopt;
  const auto profile = c.parameter("profile-level-id");
  if (!profile) return std::nullopt;
  if (text::iequals(*profile, "42e01f")) return 102;
  if (text::iequals(*profile, "42001f")) return 104;
  return std::nullopt;
}

}  // namespace

std::optional<uint8_t> subscriber_payload_type(const Codec& codec,
                                               const std::vector<Codec>& section) {
  if (!is_rtx(codec)) return primary_payload_type(codec);
  const auto apt = codec.parameter("apt");
  const auto apt_pt = apt ? text::number<uint8_t>(*apt) : std::nullopt;
  if (!apt_pt) return std::nullopt;
  for (const Codec& c : section) {
    if (c.payload_type != *apt_pt || is_rtx(c)) continue;
    const auto primary = primary_payload_type(c);
    if (primary && *primary != 111) return static_cast<uint8_t>(*primary + 1);
  }
  return std::nullopt;
}

std::optional<uint8_t> subscriber_extension_id(std::string_view uri) {
  if (uri == kExtensionAudioLevel) return 1;
  if (uri == kExtensionAbsSendTime) return 2;
  return std::nullopt;
}

}  // namespace turnd::sfu::sdp

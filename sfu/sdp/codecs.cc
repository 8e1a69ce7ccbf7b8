#include "sfu/sdp/codecs.h"

#include <algorithm>
#include <array>

#include "sfu/sdp/text.h"

namespace turnd::sfu::sdp {

namespace {

bool is_constrained_baseline_h264(const Codec& c) {
  if (!c.is("H264") || c.clock_rate != 90000) return false;
  const auto mode = c.parameter("packetization-mode");
  const auto profile = c.parameter("profile-level-id");
  return mode == "1" && profile &&
         (text::iequals(*profile, "42e01f") || text::iequals(*profile, "42001f"));
}

}  // namespace

bool is_forwarded_codec(const Codec& c, std::string_view media, const CodecPolicy& policy) {
  if (media == "audio") return c.is("opus") && c.clock_rate == 48000 && c.channels == 2;
  if (media != "video") return false;
  if (policy.vp8 && c.is("VP8") && c.clock_rate == 90000) return true;
  return policy.h264 && is_constrained_baseline_h264(c);
}

bool is_rtx(const Codec& c) {
  return c.is("rtx");
}

bool is_forwarded_feedback(const RtcpFeedback& fb) {
  if (fb.type == "nack") return fb.parameter.empty() || fb.parameter == "pli";
  if (fb.type == "ccm") return fb.parameter == "fir";
  return (fb.type == "goog-remb" || fb.type == "transport-cc") && fb.parameter.empty();
}

bool is_forwarded_extension(std::string_view uri) {
  constexpr std::array<std::string_view, 4> kKept{kExtensionMid, kExtensionAbsSendTime,
                                                  kExtensionTransportCc, kExtensionAudioLevel};
  return std::find(kKept.begin(), kKept.end(), uri) != kKept.end();
}

std::vector<Codec> choose_codecs(const MediaDescription& m, const CodecPolicy& policy) {
  std::vector<uint8_t> primaries;
  for (const Codec& c : m.codecs) {
    if (is_forwarded_codec(c, m.media, policy)) primaries.push_back(c.payload_type);
  }
  auto is_primary = [&](uint8_t pt) {
    return std::find(primaries.begin(), primaries.end(), pt) != primaries.end();
  };
  std::vector<Codec> chosen;
  for (const Codec& c : m.codecs) {
    bool keep = is_primary(c.payload_type);
    if (!keep && is_rtx(c)) {
      const auto apt = c.parameter("apt");
      const auto apt_pt = apt ? text::number<uint8_t>(*apt) : std::nullopt;
      keep = apt_pt && is_primary(*apt_pt);
    }
    if (!keep) continue;
    Codec kept = c;
    std::erase_if(kept.feedback, [](const RtcpFeedback& fb) { return !is_forwarded_feedback(fb); });
    chosen.push_back(std::move(kept));
  }
  // VP8 (and its RTX) first: a publisher sends the answer's first codec, and
  // VP8 is the one every browser decodes (Firefox has no H.264 without a
  // separate download).
  std::vector<uint8_t> vp8;
  for (const Codec& c : chosen) {
    if (c.is("VP8")) vp8.push_back(c.payload_type);
  }
  auto vp8_or_its_rtx = [&](const Codec& c) {
    if (c.is("VP8")) return true;
    const auto apt = is_rtx(c) ? c.parameter("apt") : std::nullopt;
    const auto apt_pt = apt ? text::number<uint8_t>(*apt) : std::nullopt;
    return apt_pt && std::find(vp8.begin(), vp8.end(), *apt_pt) != vp8.end();
  };
  std::stable_partition(chosen.begin(), chosen.end(), vp8_or_its_rtx);
  return chosen;
}

std::vector<Extmap> choose_extmaps(const MediaDescription& m) {
  std::vector<Extmap> chosen;
  for (const Extmap& e : m.extmaps) {
    if (is_forwarded_extension(e.uri)) chosen.push_back(e);
  }
  return chosen;
}

}  // namespace turnd::sfu::sdp

#include "sfu/sdp/subscriber_offer.h"

#include <algorithm>

namespace turnd::sfu::sdp {

namespace {

std::optional<std::string> check_track(const OutgoingTrack& t) {
  if (t.mid.empty()) return "a track without a mid";
  if (t.kind != "audio" && t.kind != "video")
    return "track \"" + t.mid + "\" is not audio or video";
  if (t.state == LineState::kRejected) {
    if (t.bundle_tag) return "track \"" + t.mid + "\" is rejected and the BUNDLE tag";
    return std::nullopt;
  }
  if (t.codecs.empty()) return "track \"" + t.mid + "\" has no codec";
  if (t.state == LineState::kInactive) return std::nullopt;
  if (t.ssrc == 0 || t.cname.empty()) return "track \"" + t.mid + "\" needs an SSRC and a cname";
  return std::nullopt;
}

MediaDescription section_for(const OutgoingTrack& t, const LocalTransport& transport) {
  MediaDescription m;
  m.media = t.kind;
  m.protocol = "UDP/TLS/RTP/SAVPF";
  m.codecs = t.codecs;
  if (m.codecs.empty()) m.codecs.push_back(Codec{0, "PCMU", 8000, 0, {}, {}});
  for (const Codec& c : m.codecs) m.formats.push_back(std::to_string(c.payload_type));
  m.mid = t.mid;
  if (t.state == LineState::kRejected) return rejected_section(m);
  set_local_transport(m, transport, Setup::kActpass);
  m.extmaps = t.extmaps;
  m.rtcp_rsize = true;
  if (t.state == LineState::kInactive) {
    m.direction = Direction::kInactive;
    return m;
  }
  m.direction = Direction::kSendOnly;
  m.msids.push_back(Msid{t.stream_id.empty() ? "-" : t.stream_id, t.track_id});
  const Msid msid = m.msids.front();
  m.ssrcs.push_back(SsrcDescription{t.ssrc, t.cname, msid, {}});
  if (t.rtx_ssrc) {
    m.ssrc_groups.push_back(SsrcGroup{"FID", {t.ssrc, *t.rtx_ssrc}});
    m.ssrcs.push_back(SsrcDescription{*t.rtx_ssrc, t.cname, msid, {}});
  }
  return m;
}

}  // namespace

std::variant<SessionDescription, SdpError> build_subscriber_offer(
    const std::vector<OutgoingTrack>& tracks, const LocalTransport& transport) {
  SessionDescription offer;
  set_local_session(offer, transport);
  offer.msid_semantic = " WMS";
  Group bundle{"BUNDLE", {}};
  if (std::count_if(tracks.begin(), tracks.end(),
                    [](const OutgoingTrack& t) { return t.bundle_tag; }) > 1) {
    return SdpError{0, "more than one BUNDLE tag"};
  }
  for (size_t i = 0; i < tracks.size(); ++i) {
    const OutgoingTrack& t = tracks[i];
    if (auto problem = check_track(t)) return SdpError{0, *problem};
    if (std::any_of(tracks.begin(), tracks.begin() + static_cast<ptrdiff_t>(i),
                    [&](const OutgoingTrack& o) { return o.mid == t.mid; })) {
      return SdpError{0, "duplicate mid \"" + t.mid + "\""};
    }
    offer.media.push_back(section_for(t, transport));
    if (t.state == LineState::kRejected) continue;
    if (t.bundle_tag) {
      bundle.mids.insert(bundle.mids.begin(), t.mid);
    } else {
      bundle.mids.push_back(t.mid);
    }
  }
  if (!bundle.mids.empty()) offer.groups.push_back(std::move(bundle));
  return offer;
}

}  // namespace turnd::sfu::sdp

#include "sfu/conference/negotiation.h"

#include <algorithm>
#include <stdexcept>

#include "sfu/sdp/answer.h"
#include "sfu/sdp/candidate.h"
#include "sfu/sdp/codecs.h"
#include "sfu/sdp/parser.h"
#include "sfu/sdp/simulcast.h"
#include "sfu/sdp/subscriber_formats.h"
#include "sfu/sdp/subscriber_offer.h"
#include "sfu/sdp/transport.h"

namespace turnd::sfu::conference {
namespace {

// The track's codecs as subscribers are offered them: renumbered, RTX's apt=
// with them, without transport-cc (see the header: REMB only on this leg).
// An offer listing a codec twice under two payload types gets it once: a
// payload type twice on an m= line would make the subscribers' browsers
// refuse the whole offer.
std::vector<sdp::Codec> subscriber_codecs(const PublishedTrack& track) {
  std::vector<sdp::Codec> out;
  for (const sdp::Codec& c : track.codecs) {
    const auto pt = sdp::subscriber_payload_type(c, track.codecs);
    if (!pt || std::any_of(out.begin(), out.end(),
                           [&](const sdp::Codec& o) { return o.payload_type == *pt; })) {
      continue;
    }
    sdp::Codec s = c;
    s.payload_type = *pt;
    if (sdp::is_rtx(c)) s.fmtp = "apt=" + std::to_string(*pt - 1);
    std::erase_if(s.feedback, [](const sdp::RtcpFeedback& f) { return f.type == "transport-cc"; });
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<sdp::Extmap> subscriber_extmaps(const PublishedTrack& track) {
  std::vector<sdp::Extmap> out;
  for (const sdp::Extmap& e : track.extmaps) {
    const auto id = sdp::subscriber_extension_id(e.uri);
    if (id &&
        std::none_of(out.begin(), out.end(), [&](const sdp::Extmap& o) { return o.id == *id; })) {
      out.push_back(e);
      out.back().id = *id;
    }
  }
  return out;
}

sdp::LocalTransport to_sdp(const LocalTransport& l) {
  sdp::LocalTransport t;
  t.ice_ufrag = l.ice.ufrag;
  t.ice_pwd = l.ice.pwd;
  t.fingerprint_sha256 = l.fingerprint.to_string();
  int n = 1;
  for (const SocketAddress& a : l.udp_candidates) {
    t.candidates.push_back(sdp::host_udp_candidate(std::to_string(n++), a.ip_string(), a.port()));
  }
  for (const SocketAddress& a : l.tcp_candidates) {
    t.candidates.push_back(
        sdp::host_tcp_passive_candidate(std::to_string(n++), a.ip_string(), a.port()));
  }
  t.session_id = l.session_id;
  t.session_version = l.session_version;
  return t;
}

sdp::SessionDescription parse_or_throw(const std::string& text, const char* what) {
  auto parsed = sdp::parse(text);
  if (auto* e = std::get_if<sdp::SdpError>(&parsed)) {
    throw std::invalid_argument(std::string(what) + ": " + e->message());
  }
  return std::get<sdp::SessionDescription>(std::move(parsed));
}

RemoteTransport remote_of(const sdp::RemoteTransport& r) {
  auto fp = dtls::Fingerprint::parse(r.fingerprint.value);
  if (r.fingerprint.algorithm != "sha-256" || !fp) {
    throw std::invalid_argument("only sha-256 DTLS fingerprints are supported");
  }
  return {r.ice_ufrag, *fp};
}

// The SSRC a section sends on, and its RTX SSRC (a=ssrc-group:FID).
void ssrcs_of(const sdp::MediaDescription& m, PublishedTrack& t) {
  for (const sdp::SsrcGroup& g : m.ssrc_groups) {
    if (g.semantics == "FID" && g.ssrcs.size() == 2) {
      t.ssrc = g.ssrcs[0];
      t.rtx_ssrc = g.ssrcs[1];
    }
  }
  if (t.ssrc == 0 && !m.ssrcs.empty()) t.ssrc = m.ssrcs.front().ssrc;
  if (const sdp::SsrcDescription* s = m.find_ssrc(t.ssrc)) t.cname = s->cname;
}

}  // namespace

PublishPlan plan_publish(const std::string& offer_text, const LocalTransport& local) {
  sdp::SessionDescription offer = parse_or_throw(offer_text, "the offer");
  if (offer.media.size() > kMaxOfferedLines) {
    throw std::invalid_argument("an offer may have at most " + std::to_string(kMaxOfferedLines) +
                                " m-lines");
  }
  sdp::AnswerOptions options;
  options.transport = to_sdp(local);
  auto built = sdp::build_answer(offer, options);
  if (auto* e = std::get_if<sdp::SdpError>(&built)) {
    throw std::invalid_argument("cannot answer the offer: " + e->message());
  }
  sdp::SessionDescription answer = std::get<sdp::SessionDescription>(std::move(built));
  PublishPlan plan;
  for (sdp::MediaDescription& m : answer.media) {
    if (m.rejected() || !sdp::receives(m.direction)) continue;
    const sdp::MediaDescription* offered = offer.find_media(m.mid);
    if (offered == nullptr) continue;
    PublishedTrack t;
    t.mid = m.mid;
    t.kind = m.media == "audio" ? MediaKind::kAudio : MediaKind::kVideo;
    t.codecs = m.codecs;
    t.extmaps = m.extmaps;
    for (const sdp::Extmap& e : m.extmaps) {
      if (e.id <= 0 || e.id >= 256) continue;
      const auto id = static_cast<uint8_t>(e.id);
      if (e.uri == sdp::kExtensionTransportCc) t.transport_cc_id = id;
      if (e.uri == sdp::kExtensionMid) t.mid_id = id;
      if (e.uri == sdp::kExtensionRtpStreamId) t.rid_id = id;
    }
    t.rid = sdp::chosen_rid(*offered);
    if (t.rid.empty()) ssrcs_of(*offered, t);  // a simulcast offer's SSRCs name no one layer
    if (t.ssrc == 0) {
      // Identified by MID (and RID) instead (RFC 8843 §15, RFC 8852).
      if (t.mid_id == 0 || (!t.rid.empty() && t.rid_id == 0)) continue;
      t.ssrc_from_packets = true;
    }
    if (t.cname.empty()) t.cname = "turnd";
    plan.tracks.push_back(std::move(t));
  }
  if (plan.tracks.size() > kMaxTracks) {
    throw std::invalid_argument("at most " + std::to_string(kMaxTracks) + " tracks may be sent");
  }
  std::vector<uint32_t> ssrcs;
  for (const PublishedTrack& t : plan.tracks) {
    for (uint32_t ssrc : {t.ssrc, t.rtx_ssrc.value_or(0)}) {
      if (ssrc == 0) continue;
      if (std::find(ssrcs.begin(), ssrcs.end(), ssrc) != ssrcs.end()) {
        throw std::invalid_argument("SSRC " + std::to_string(ssrc) + " is used twice");
      }
      ssrcs.push_back(ssrc);
    }
  }
  auto remote = sdp::remote_transport(offer);
  if (auto* e = std::get_if<sdp::SdpError>(&remote)) {
    throw std::invalid_argument("the offer's transport: " + e->message());
  }
  plan.remote = remote_of(std::get<sdp::RemoteTransport>(remote));
  plan.answer = answer.to_string();
  return plan;
}

rtp::RtpRewrite subscriber_rewrite(const PublishedTrack& track) {
  rtp::RtpRewrite r;
  for (const sdp::Codec& c : track.codecs) {
    if (const auto pt = sdp::subscriber_payload_type(c, track.codecs)) {
      r.map_payload_type(c.payload_type, *pt);
    }
  }
  for (const sdp::Extmap& e : track.extmaps) {
    const auto id = sdp::subscriber_extension_id(e.uri);
    if (id && e.id > 0 && e.id < 256) r.map_extension(static_cast<uint8_t>(e.id), *id);
  }
  return r;
}

sdp::SessionDescription subscriber_offer(const std::vector<OfferedLine>& lines,
                                         const LocalTransport& local) {
  std::vector<sdp::OutgoingTrack> tracks;
  for (const OfferedLine& line : lines) {
    sdp::OutgoingTrack t;
    t.mid = line.mid;
    t.kind = line.track.kind == MediaKind::kAudio ? "audio" : "video";
    t.codecs = subscriber_codecs(line.track);
    t.extmaps = subscriber_extmaps(line.track);
    t.ssrc = line.track.ssrc;
    t.rtx_ssrc = line.track.rtx_ssrc;
    t.cname = line.track.cname;
    t.stream_id = line.participant;
    t.track_id = line.participant + "-" + line.track.mid;
    t.state = line.state;
    t.bundle_tag = line.bundle_tag;
    tracks.push_back(std::move(t));
  }
  auto built = sdp::build_subscriber_offer(tracks, to_sdp(local));
  if (auto* e = std::get_if<sdp::SdpError>(&built)) {
    throw std::invalid_argument("cannot build the offer: " + e->message());
  }
  return std::get<sdp::SessionDescription>(std::move(built));
}

RemoteTransport check_subscriber_answer(const sdp::SessionDescription& offer,
                                        const std::string& answer_text) {
  sdp::SessionDescription answer = parse_or_throw(answer_text, "the answer");
  auto checked = sdp::check_answer(offer, answer);
  if (auto* e = std::get_if<sdp::SdpError>(&checked)) {
    throw std::invalid_argument("the answer does not fit the offer: " + e->message());
  }
  return remote_of(std::get<sdp::RemoteTransport>(checked));
}

}  // namespace turnd::sfu::conference

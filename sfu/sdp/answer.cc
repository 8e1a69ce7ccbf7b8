#include "sfu/sdp/answer.h"

#include <algorithm>

#include "sfu/sdp/simulcast.h"

namespace turnd::sfu::sdp {

namespace {

// The offered mids that may share our one transport.
std::vector<std::string> bundle_candidates(const SessionDescription& offer) {
  if (const Group* bundle = offer.bundle_group()) return bundle->mids;
  for (const MediaDescription& m : offer.media) {
    if (!m.rejected()) return {m.mid};
  }
  return {};
}

MediaDescription accepted_section(const MediaDescription& offered, std::vector<Codec> codecs,
                                  const AnswerOptions& options) {
  MediaDescription m;
  m.media = offered.media;
  m.port = 9;
  m.protocol = offered.protocol;
  for (const Codec& c : codecs) m.formats.push_back(std::to_string(c.payload_type));
  set_local_transport(m, options.transport, Setup::kPassive);
  m.mid = offered.mid;
  m.extmaps = choose_extmaps(offered);
  // One encoding of a simulcast offer (simulcast.h), named by its rid.
  if (const std::string rid = chosen_rid(offered); !rid.empty()) {
    for (const Extmap& e : offered.extmaps) {
      if (e.uri == kExtensionRtpStreamId || e.uri == kExtensionRepairedRtpStreamId) {
        m.extmaps.push_back(e);
      }
    }
    answer_rid(m, rid);
  }
  for (Extmap& e : m.extmaps) {
    if (e.direction) e.direction = reverse(*e.direction);
  }
  const Direction theirs = offered.direction;
  m.direction = make_direction(options.send && receives(theirs), options.receive && sends(theirs));
  m.rtcp_rsize = offered.rtcp_rsize;
  m.codecs = std::move(codecs);
  for (const RtcpFeedback& fb : offered.feedback_all) {
    if (is_forwarded_feedback(fb)) m.feedback_all.push_back(fb);
  }
  return m;
}

}  // namespace

std::variant<SessionDescription, SdpError> build_answer(const SessionDescription& offer,
                                                        const AnswerOptions& options) {
  auto remote = remote_transport(offer);
  if (auto* error = std::get_if<SdpError>(&remote)) return *error;
  if (std::get<RemoteTransport>(remote).setup == Setup::kPassive) {
    return SdpError{0, "the offer's a=setup:passive leaves no DTLS role for our passive side"};
  }
  const std::vector<std::string> bundle = bundle_candidates(offer);

  SessionDescription answer;
  set_local_session(answer, options.transport);
  answer.extmap_allow_mixed = offer.extmap_allow_mixed;
  Group accepted{"BUNDLE", {}};
  for (const MediaDescription& offered : offer.media) {
    const bool bundled = std::find(bundle.begin(), bundle.end(), offered.mid) != bundle.end();
    std::vector<Codec> codecs;
    if (!offered.rejected() && bundled && offered.rtcp_mux && offered.media != "application") {
      codecs = choose_codecs(offered, options.codecs);
    }
    if (codecs.empty()) {
      answer.media.push_back(rejected_section(offered));
      continue;
    }
    if (offered.mid.empty()) return SdpError{0, "an offered m= section has no a=mid"};
    answer.media.push_back(accepted_section(offered, std::move(codecs), options));
    accepted.mids.push_back(offered.mid);
  }
  if (offer.bundle_group() != nullptr && !accepted.mids.empty()) {
    answer.groups.push_back(std::move(accepted));
  }
  return answer;
}

namespace {

std::optional<std::string> check_section(const MediaDescription& ours,
                                         const MediaDescription& theirs) {
  if (theirs.mid != ours.mid || theirs.media != ours.media) {
    return "the answer's m= section \"" + theirs.mid + "\" (" + theirs.media +
           ") is not the offer's \"" + ours.mid + "\" (" + ours.media + ")";
  }
  if (theirs.rejected()) return std::nullopt;
  if (ours.rejected()) return "the answer accepts m= section \"" + ours.mid + "\" we rejected";
  if (theirs.codecs.empty()) return "m= section \"" + theirs.mid + "\" has no payload type";
  for (const Codec& c : theirs.codecs) {
    const Codec* offered = ours.find_codec(c.payload_type);
    if (offered == nullptr || !offered->is(c.name)) {
      return "m= section \"" + theirs.mid + "\" answers payload type " +
             std::to_string(c.payload_type) + " (" + c.name + "), which we did not offer";
    }
  }
  return std::nullopt;
}

}  // namespace

std::variant<RemoteTransport, SdpError> check_answer(const SessionDescription& offer,
                                                     const SessionDescription& answer) {
  if (answer.media.size() != offer.media.size()) {
    return SdpError{0, "the answer has " + std::to_string(answer.media.size()) +
                           " m= sections, the offer " + std::to_string(offer.media.size())};
  }
  for (size_t i = 0; i < offer.media.size(); ++i) {
    if (auto problem = check_section(offer.media[i], answer.media[i])) return SdpError{0, *problem};
  }
  auto remote = remote_transport(answer);
  if (auto* t = std::get_if<RemoteTransport>(&remote); t != nullptr && t->setup != Setup::kActive) {
    return SdpError{0, "the answer must take the DTLS client role (a=setup:active), not a=setup:" +
                           std::string(to_string(t->setup))};
  }
  return remote;
}

}  // namespace turnd::sfu::sdp

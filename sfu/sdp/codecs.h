// What the SFU forwards: which codecs, RTCP feedback and header extensions
// of an offer it keeps. Every participant must be able to decode what any
// other sends, so the choice is the same narrow set for everyone: Opus
// 48000/2; VP8; H.264 constrained baseline (42e01f / 42001f) with
// packetization-mode=1; RTX for the video codecs kept (RFC 4588, by apt=).
// Payload types, fmtp and extension IDs are kept as the browser wrote them.
#pragma once

#include <string_view>
#include <vector>

#include "sfu/sdp/session_description.h"

namespace turnd::sfu::sdp {

inline constexpr std::string_view kExtensionMid = "urn:ietf:params:rtp-hdrext:sdes:mid";
inline constexpr std::string_view kExtensionAbsSendTime =
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
inline constexpr std::string_view kExtensionTransportCc =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
inline constexpr std::string_view kExtensionAudioLevel =
    "urn:ietf:params:rtp-hdrext:ssrc-audio-level";

// Video codecs the SFU may accept; Opus is always accepted for audio.
struct CodecPolicy {
  bool vp8 = true;
  bool h264 = true;
};

// A primary codec (not RTX, RED or FEC) the SFU forwards for `media`.
bool is_forwarded_codec(const Codec& codec, std::string_view media, const CodecPolicy& policy);
bool is_rtx(const Codec& codec);
// nack, nack pli, ccm fir, goog-remb, transport-cc.
bool is_forwarded_feedback(const RtcpFeedback& feedback);
// sdes:mid, abs-send-time, transport-wide-cc-01, ssrc-audio-level.
bool is_forwarded_extension(std::string_view uri);

// The codecs of `m` the SFU keeps, in the offer's order but VP8 and its RTX
// first: each forwarded codec and each RTX whose apt= names one of them, with
// only the forwarded RTCP feedback. Empty when none fits (the m= section is
// then rejected).
std::vector<Codec> choose_codecs(const MediaDescription& m, const CodecPolicy& policy);
std::vector<Extmap> choose_extmaps(const MediaDescription& m);

}  // namespace turnd::sfu::sdp

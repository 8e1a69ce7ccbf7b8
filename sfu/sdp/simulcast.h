// RTP stream identifiers (a=rid, RFC 8851) and simulcast (a=simulcast,
// RFC 8853) in an offer, as far as the SFU uses them: which encoding of a
// section it receives. Until layers can be switched per subscriber (issue
// 15), the SFU takes one: the last stream of a=simulcast's send list — the
// highest quality in the usual low-to-high order (q;h;f) — and answers only
// that one, so the browser sends one encoding, identified by MID and RID.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sfu/sdp/session_description.h"

namespace turnd::sfu::sdp {

inline constexpr std::string_view kExtensionRtpStreamId =
    "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
inline constexpr std::string_view kExtensionRepairedRtpStreamId =
    "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";

// The rids the section sends, in a=simulcast order (first alternative of
// each stream, paused "~" ones skipped), else in a=rid order; only rids that
// an a=rid line declares "send", and at most the first 16. Empty without rids.
std::vector<std::string> send_rids(const MediaDescription& m);

// The rid the SFU receives ("" for none).
std::string chosen_rid(const MediaDescription& m);

// a=rid:<rid> recv and a=simulcast:recv <rid> for the answer.
void answer_rid(MediaDescription& answer, const std::string& rid);

}  // namespace turnd::sfu::sdp

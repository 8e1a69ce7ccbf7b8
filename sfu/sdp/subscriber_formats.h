// The one numbering of payload types and header extensions on every
// subscriber transport. In a BUNDLE group a payload type and an extension ID
// must mean the same thing in every m= section (RFC 8843 §9), but publishers'
// browsers number differently — Firefox's Opus is 109 where Chromium's 109 is
// an RTX, Firefox's abs-send-time is 4 where Chromium's is 2 — so subscriber
// offers use these numbers and each producer's packets are rewritten to them
// once, before fan-out (rtp::RtpRewrite).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sfu/sdp/session_description.h"

namespace turnd::sfu::sdp {

// Opus 111; VP8 96; H.264 constrained baseline 42e01f 102, 42001f 104; each
// video codec's RTX one above it. nullopt: the SFU does not forward `codec`
// (`section`: the codecs of its m= section, where an RTX's apt= points).
std::optional<uint8_t> subscriber_payload_type(const Codec& codec,
                                               const std::vector<Codec>& section);
// ssrc-audio-level 1, abs-send-time 2; nullopt for the rest (the SFU strips
// them on the way to subscribers).
std::optional<uint8_t> subscriber_extension_id(std::string_view uri);

}  // namespace turnd::sfu::sdp

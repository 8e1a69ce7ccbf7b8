// The SFU's offer on a subscriber PeerConnection (docs/SFU.md "Two
// PeerConnections per participant"): one send-only m= section per remote
// track, each with its own mid, the publisher's SSRCs (and RTX SSRC in an
// a=ssrc-group:FID), cname and msid, and the payload types and header
// extension IDs negotiated with the publisher, so packets are forwarded
// without rewriting them. a=setup:actpass as RFC 8842 §5.2 requires of an
// offer; the browser answers active and the SFU stays the DTLS server.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sfu/sdp/parser.h"
#include "sfu/sdp/transport.h"

namespace turnd::sfu::sdp {

struct OutgoingTrack {
  std::string mid;
  std::string kind;             // "audio" or "video"
  std::vector<Codec> codecs;    // as in the publisher's answered m= section
  std::vector<Extmap> extmaps;  // likewise
  uint32_t ssrc = 0;
  std::optional<uint32_t> rtx_ssrc;
  std::string cname;
  std::string stream_id;  // a=msid: the publishing participant
  std::string track_id;
  // False for a track that ended: its m= section stays (m= sections are
  // never removed, RFC 8829 §5.2.2) with port 0 and out of the BUNDLE group.
  bool active = true;
};

// An error for duplicate or empty mids, kinds other than audio/video, or an
// active track without codecs, SSRC or cname.
std::variant<SessionDescription, SdpError> build_subscriber_offer(
    const std::vector<OutgoingTrack>& tracks, const LocalTransport& transport);

}  // namespace turnd::sfu::sdp

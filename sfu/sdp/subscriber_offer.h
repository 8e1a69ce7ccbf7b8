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

enum class LineState : uint8_t {
  kSending,   // a=sendonly with the track's SSRCs, cname and msid
  kInactive,  // a=inactive, no SSRC: the track ended, but the line keeps the
              // BUNDLE transport (a browser drops the transport with its tag)
  kRejected,  // port 0 and out of the BUNDLE group (m= sections are never
              // removed, RFC 8829 §5.2.2); its place may later be recycled
};

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
  LineState state = LineState::kSending;
  // The first mid of the BUNDLE group (the transport's tag, RFC 8843): must
  // be a line the browser already has when it is not the first offer.
  bool bundle_tag = false;
};

// An error for duplicate or empty mids, kinds other than audio/video, a
// sending track without codecs, SSRC or cname, or a tag that is rejected.
std::variant<SessionDescription, SdpError> build_subscriber_offer(
    const std::vector<OutgoingTrack>& tracks, const LocalTransport& transport);

}  // namespace turnd::sfu::sdp

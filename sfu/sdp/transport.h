// The transport half of a WebRTC description: ICE credentials, DTLS
// fingerprint and role, candidates (RFC 8839, RFC 8842). With BUNDLE
// (RFC 8843) one transport serves every m= section, so each side has one set.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sfu/sdp/parser.h"
#include "sfu/sdp/session_description.h"

namespace turnd::sfu::sdp {

// What the SFU writes into every description it generates.
struct LocalTransport {
  std::string ice_ufrag;
  std::string ice_pwd;
  std::string fingerprint_sha256;     // "AB:CD:..." of the DTLS certificate
  std::vector<Candidate> candidates;  // host UDP and passive TCP
  uint64_t session_id = 0;            // o= line: fixed per PeerConnection,
  uint64_t session_version = 0;       // the version bumped on each new description
};

// The browser's side of the bundle transport.
struct RemoteTransport {
  std::string mid;  // of the m= section whose transport is used (the BUNDLE tag)
  std::string ice_ufrag;
  std::string ice_pwd;
  Fingerprint fingerprint;
  Setup setup = Setup::kActpass;
  std::vector<Candidate> candidates;  // those of that m= section (often none: trickled)
};

// From the first m= section of the BUNDLE group (or the first m= section
// with a non-zero port when there is none). An error when ICE credentials,
// fingerprint or setup are missing.
std::variant<RemoteTransport, SdpError> remote_transport(const SessionDescription& d);

// Fills the o= line, ice-lite, and the per-section transport attributes of
// an SFU description. Internal to the builders, shared by them.
void set_local_session(SessionDescription& d, const LocalTransport& t);
void set_local_transport(MediaDescription& m, const LocalTransport& t, Setup setup);
// A rejected or stopped copy of `m` (RFC 3264 §6, RFC 8829 §5.2.2): port 0,
// a=inactive, its mid, and only its first format (with that codec's rtpmap).
MediaDescription rejected_section(const MediaDescription& m);

}  // namespace turnd::sfu::sdp

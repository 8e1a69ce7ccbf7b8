// The SFU's answer to a browser's offer (RFC 8829 §5.3, RFC 3264 §6): ICE-lite,
// our credentials and fingerprint, a=setup:passive (the browser is the DTLS
// client), one BUNDLE group of the m= sections accepted, rtcp-mux, our
// candidates, directions mirrored and narrowed to what we do, codecs and
// header extensions chosen as in codecs.h with the offer's payload types and
// IDs. m= sections the SFU cannot serve are rejected with port 0.
#pragma once

#include <variant>

#include "sfu/sdp/codecs.h"
#include "sfu/sdp/parser.h"
#include "sfu/sdp/transport.h"

namespace turnd::sfu::sdp {

struct AnswerOptions {
  LocalTransport transport;
  CodecPolicy codecs;
  // What the SFU does on this PeerConnection. The publisher PeerConnection
  // only receives: the browser's sendrecv and sendonly become recvonly.
  bool send = false;
  bool receive = true;
};

// Rejected: m=application (no data channels), m= sections outside the
// offer's BUNDLE group, without rtcp-mux, without a codec from codecs.h, or
// already rejected in the offer. An error when the offer lacks what every
// answer needs (ICE credentials, fingerprint, a setup that lets us be passive).
std::variant<SessionDescription, SdpError> build_answer(const SessionDescription& offer,
                                                        const AnswerOptions& options);

// Checks a browser's answer to one of our offers (RFC 3264 §6): the same m=
// sections in the same order with the same mids and media, only payload
// types we offered, a DTLS role that makes us passive (a=setup:active).
// Returns the browser's transport.
std::variant<RemoteTransport, SdpError> check_answer(const SessionDescription& offer,
                                                     const SessionDescription& answer);

}  // namespace turnd::sfu::sdp

// Negotiation: what the conference takes from and puts into SDP (built on
// sfu/sdp). A publisher's offer becomes PublishedTracks and an answer; a
// subscriber gets an offer with one send-only m-line per track it receives,
// and its answer gives the transport's remote ICE ufrag and DTLS fingerprint.
//
// Bandwidth feedback is per leg:
// - the answer to a publisher keeps transport-cc (feedback and header
//   extension) and goog-remb: the SFU reports every packet's arrival
//   (transport-wide feedback), the browser's estimator sets its bitrate, and
//   REMB caps it by what the subscribers can take;
// - subscriber offers do not carry transport-cc (the forwarded packets hold
//   the publisher's transport-wide numbers, meaningless on this transport).
// And forwarding rewrites little:
// - subscriber offers repeat the publisher's SSRCs, but number payload types
//   and header extensions the one way every subscriber transport does
//   (sdp/subscriber_formats.h: publishers' browsers number differently, a
//   BUNDLE group may not); each packet is renumbered once, before fan-out
//   (subscriber_rewrite). sdes:mid / rtp-stream-id are not offered and are
//   blanked: the browser demultiplexes by SSRC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sfu/conference/protocol.h"
#include "sfu/dtls/fingerprint.h"
#include "sfu/ice/credentials.h"
#include "sfu/rtp/rtp_rewrite.h"
#include "sfu/rtp/rtx_buffer.h"
#include "sfu/sdp/session_description.h"
#include "sfu/sdp/subscriber_offer.h"
#include "turnd/common/address.h"

namespace turnd::sfu::conference {

using RtpHistory = rtp::RtxBuffer;

// What one publisher may offer: m-lines (sent or not) and tracks it sends.
inline constexpr size_t kMaxOfferedLines = 16;

struct PublishedTrack {
  std::string mid;  // in the publisher's SDP
  MediaKind kind = MediaKind::kAudio;
  // 0 until known when the offer does not announce it (no a=ssrc, or a
  // simulcast offer): the first packet carrying this mid (and rid) names it.
  uint32_t ssrc = 0;
  bool ssrc_from_packets = false;
  std::string rid;  // the one encoding received of a simulcast offer (sdp/simulcast.h)
  uint8_t mid_id = 0, rid_id = 0;  // the sdes:mid / rtp-stream-id extensions, 0: none
  std::optional<uint32_t> rtx_ssrc;
  std::string cname;
  std::vector<sdp::Codec> codecs;    // as answered
  std::vector<sdp::Extmap> extmaps;  // as answered
  uint8_t transport_cc_id = 0;       // the transport-wide sequence number's extension, 0: none
};

// The remote side of a transport, from either SDP.
struct RemoteTransport {
  std::string ice_ufrag;
  dtls::Fingerprint fingerprint;
};

struct LocalTransport {
  ice::IceCredentials ice;
  dtls::Fingerprint fingerprint;
  std::vector<SocketAddress> udp_candidates;
  std::vector<SocketAddress> tcp_candidates;
  uint64_t session_id = 0;
  uint64_t session_version = 1;
};

struct PublishPlan {
  RemoteTransport remote;
  std::vector<PublishedTrack> tracks;  // the offered send tracks we accept
  std::string answer;                  // SDP
};

// Throws std::invalid_argument with a reason for people when the offer is
// not something we can answer.
PublishPlan plan_publish(const std::string& offer, const LocalTransport& local);

// How the track's packets are renumbered for subscribers.
rtp::RtpRewrite subscriber_rewrite(const PublishedTrack& track);

// One m-line of a subscriber offer (sdp::LineState: sending, or a track
// that ended: inactive when it is the BUNDLE tag, else rejected).
struct OfferedLine {
  std::string mid;
  std::string participant;  // the publisher, as a=msid stream id
  PublishedTrack track;
  sdp::LineState state = sdp::LineState::kSending;
  bool bundle_tag = false;
};

// Throws std::invalid_argument (never expected: our own lines).
sdp::SessionDescription subscriber_offer(const std::vector<OfferedLine>& lines,
                                         const LocalTransport& local);

// Throws std::invalid_argument when the answer does not fit the offer.
RemoteTransport check_subscriber_answer(const sdp::SessionDescription& offer,
                                        const std::string& answer);

}  // namespace turnd::sfu::conference

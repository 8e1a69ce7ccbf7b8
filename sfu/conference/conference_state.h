// The Conference's own records (conference.h declares them; the conference's
// .cc files share this header). Media thread only.
#pragma once

#include "sfu/conference/conference.h"
#include "sfu/conference/negotiation.h"
#include "sfu/rtp/receive_stats.h"
#include "sfu/rtp/transport_feedback.h"

namespace turnd::sfu::conference {

// A steady time in microseconds, as RTP statistics and feedback count it.
inline int64_t microseconds_of(SteadyTime t) noexcept {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

// A track a participant publishes.
struct Conference::Producer {
  Participant* owner = nullptr;
  std::string mid;  // in the publisher's SDP
  TrackInfo track;
  PublishedTrack media;            // SSRC, codec, header extensions from the offer
  rtp::RtpRewrite to_subscribers;  // its payload types and extension IDs renumbered
  SteadyTime last_keyframe_request{};
  uint64_t packets = 0;
  uint64_t bytes = 0;
  std::unique_ptr<RtpHistory> history;    // recent packets, for NACKs (video only)
  rtp::ReceiveStats stats{90000};         // for our receiver reports to the publisher
  std::vector<Participant*> subscribers;  // who receives it (sync_consumers keeps it)
};

// One m-line of a subscriber's PeerConnection. Lines stay in their place
// (JSEP): when the producer goes, the line is rejected; once the browser has
// answered that rejection, a new track of the same kind takes the place with
// a new mid (RFC 8829 §5.2.2 recycling), so the SDP does not grow with every
// join and leave. The exception is the participant's BUNDLE tag, the line
// that carries the transport: it is never rejected (Chromium would drop the
// transport with it), it goes inactive and stays so.
struct Conference::Consumer {
  std::string mid;
  Producer* producer = nullptr;  // null: the track ended; the line stays, inactive
  std::string publisher;         // the publishing participant's id
  PublishedTrack track;          // as last offered
  bool recyclable = false;       // rejected in an answered offer
};

struct Conference::Participant {
  std::string id;
  std::string name;
  std::array<std::byte, 16> visit_id{};  // the participation log's event id
  bool moderator = false;
  Room* room = nullptr;
  ConnectionId connection = 0;
  SocketAddress client;
  std::string page_host;  // its connection's
  int64_t joined_unix = 0;
  std::unique_ptr<transport::WebRtcTransport> publisher;
  std::unique_ptr<transport::WebRtcTransport> subscriber;
  std::vector<std::unique_ptr<Producer>> producers;
  std::vector<Consumer> consumers;
  bool audio_muted = false;
  bool video_muted = false;
  uint64_t offer_version = 0;
  uint64_t next_mid = 0;   // subscriber mids are never used twice
  std::string bundle_tag;  // the mid of the subscriber's first line, once offered
  std::optional<sdp::SessionDescription> last_offer;  // the subscriber offer out
  bool awaiting_answer = false;            // an offer is out; a change waits for its answer
  bool offer_again = false;                // something changed while waiting
  std::optional<SteadyTime> broken_since;  // a transport failed
  // Its WebSocket went (connection 0 meanwhile): resumable until
  // resume_window. The token itself is never kept, only its SHA-256.
  std::optional<SteadyTime> detached_since;
  std::string resume_key;
  // After the publisher restarted ICE: its producers are asked for keyframes
  // (once a second) until then, so the others' video resumes on the new path
  // without waiting for their own requests.
  std::optional<SteadyTime> keyframes_until;
  SteadyTime last_remb{};
  SteadyTime last_report{};
  // Transport-wide feedback on the publisher's transport (feedback.cc).
  uint8_t transport_cc_id = 0;
  std::unique_ptr<rtp::TransportFeedback> arrivals;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  double publish_tokens = 0;  // Conference::publish_allowed; set at the join
  SteadyTime publish_at{};
  // Retransmissions for this subscriber's NACKs (forwarding.cc): a byte budget
  // that grows with what it is sent, and the packets resent lately.
  uint64_t retransmit_budget = 0;
  struct Resent {
    uint32_t ssrc = 0;
    uint16_t seq = 0;
    SteadyTime at{};
  };
  std::array<Resent, 64> recently_resent{};
  size_t next_resent = 0;
};

struct Conference::Room {
  std::string slug;
  RoomDirectory::Entry info;
  std::vector<std::unique_ptr<Participant>> participants;
  bool locked = false;
};

// A join under way (joining.cc): waiting out the throttle's delay while
// `check_at` is set, else its code is being checked.
struct Conference::PendingJoin {
  JoinRequest request;
  std::optional<SteadyTime> check_at;
  CodeVerifier::Priority priority = CodeVerifier::Priority::kNormal;
};

struct Conference::Connection {
  ConnectionId id = 0;
  SocketAddress peer;
  std::string page_host;  // the DNS name the browser used, "" for an address (signal::page_host)
  Participant* participant = nullptr;
  std::optional<PendingJoin> join;
  SteadyTime must_join_by{};  // closed if still outside a room then (options.join_deadline)
};

}  // namespace turnd::sfu::conference

// The Conference's own records (conference.h declares them; the conference's
// .cc files share this header). Media thread only.
#pragma once

#include "sfu/conference/conference.h"
#include "sfu/conference/negotiation.h"

namespace turnd::sfu::conference {

// A track a participant publishes.
struct Conference::Producer {
  Participant* owner = nullptr;
  std::string mid;  // in the publisher's SDP
  TrackInfo track;
  PublishedTrack media;  // SSRC, codec, header extensions from the offer
  SteadyTime last_keyframe_request{};
  uint64_t packets = 0;
  uint64_t bytes = 0;
  std::unique_ptr<RtpHistory> history;  // recent packets, for NACKs (video only)
  std::vector<Participant*> subscribers;  // who receives it (sync_consumers keeps it)
};

// One m-line of a subscriber's PeerConnection. Lines stay in their place
// (JSEP): when the producer goes, the line is rejected and later reused.
struct Conference::Consumer {
  std::string mid;
  Producer* producer = nullptr;  // null: the track ended; the line stays, inactive
  std::string publisher;         // the publishing participant's id
  PublishedTrack track;          // as last offered
};

struct Conference::Participant {
  std::string id;
  std::string name;
  std::array<std::byte, 16> visit_id{};  // the participation log's event id
  bool moderator = false;
  Room* room = nullptr;
  ConnectionId connection = 0;
  SocketAddress client;
  int64_t joined_unix = 0;
  std::unique_ptr<transport::WebRtcTransport> publisher;
  std::unique_ptr<transport::WebRtcTransport> subscriber;
  std::vector<std::unique_ptr<Producer>> producers;
  std::vector<Consumer> consumers;
  bool audio_muted = false;
  bool video_muted = false;
  uint64_t offer_version = 0;
  std::optional<sdp::SessionDescription> last_offer;  // the subscriber offer out
  bool awaiting_answer = false;  // an offer is out; a change waits for its answer
  bool offer_again = false;      // something changed while waiting
  std::optional<SteadyTime> broken_since;  // a transport failed
  SteadyTime last_remb{};
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
};

struct Conference::Room {
  std::string slug;
  RoomDirectory::Entry info;
  std::vector<std::unique_ptr<Participant>> participants;
  bool locked = false;
};

struct Conference::Connection {
  ConnectionId id = 0;
  SocketAddress peer;
  Participant* participant = nullptr;
  bool joining = false;  // a code check is under way
};

}  // namespace turnd::sfu::conference

// Conference: rooms, participants and their PeerConnections — the SFU's
// control logic, on the media thread. The signalling thread's messages are
// posted here as they arrive (on_open / on_message / on_close); replies go out
// through SignalOut. Each participant has a publisher and a subscriber
// WebRtcTransport (docs/SFU.md, "Two PeerConnections per participant"); media
// from a publisher's producers is forwarded to every other participant's
// subscriber transport (forwarding.cc).
//
// Participant lifecycle (one transition function, set_state):
//   kJoining   the code is being checked (off-thread)
//   kJoined    in the room: may publish, gets offers
//   kGone      left, kicked, timed out or disconnected; removed at once
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sfu/conference/code_verifier.h"
#include "sfu/conference/join_throttle.h"
#include "sfu/conference/negotiation.h"
#include "sfu/conference/protocol.h"
#include "sfu/conference/room_directory.h"
#include "sfu/router/media_endpoint.h"
#include "sfu/rtp/rtcp_feedback.h"
#include "sfu/rtp/rtp_packet.h"
#include "sfu/transport/webrtc_transport.h"
#include "turnd/common/address.h"
#include "turnd/common/clock.h"

namespace turnd::sfu::conference {

using ConnectionId = uint64_t;

// Where the conference's messages go (the signalling server, or a test).
class SignalOut {
 public:
  virtual ~SignalOut() = default;
  virtual void send(ConnectionId connection, std::string text) = 0;
  virtual void close(ConnectionId connection) = 0;
};

// Told when people join and leave (the participation log).
struct ParticipationEvent {
  std::array<std::byte, 16> id{};  // random (UUID v4), made at the join
  int64_t room_id = 0;
  std::string participant;  // this run's participant id
  std::string name;         // the display name (the log stores a keyed hash)
  SocketAddress client;
  bool moderator = false;
  int64_t joined_at = 0;  // Unix seconds
  int64_t left_at = 0;    // 0: the join event
  std::string end_reason;
  std::vector<std::string> media_sent;  // audio, video, screen
  uint64_t bytes_from = 0, bytes_to = 0;
};

struct ConferenceOptions {
  std::vector<SocketAddress> udp_candidates;  // the media socket as browsers reach it
  std::vector<SocketAddress> tcp_candidates;  // passive ICE-TCP, likewise
  // TURN servers handed to browsers, with a REST credential per participant
  // from `turn_secret` (coturn's use-auth-secret scheme); empty secret: none.
  std::vector<std::string> turn_urls;  // turn: over UDP and TCP, by address
  // turns: on this port (0: none), at turns_host, else at the name the
  // browser reached the page by, else at turns_address (a URL host).
  uint16_t turns_port = 0;
  std::string turns_host;
  std::string turns_address;
  std::string turn_secret;
  uint32_t turn_credential_lifetime = 86400;
  char rest_separator = ':';
  JoinThrottle::Limits join_limits;  // access-code guessing (join_throttle.h)
  Seconds join_deadline{10};         // a connection must ask to join within this, else it is closed
  uint32_t publish_burst = 10;       // publish requests a participant may send at once ...
  Seconds publish_interval{2};       // ... and then one per this
  Seconds broken_transport_timeout{20};  // a participant whose transport failed leaves
  // A participant whose WebSocket went stays this long, resumable with its
  // token (`resume`); 0: it leaves with its connection.
  Seconds resume_window{30};
  uint64_t remb_bitrate = 2'500'000;  // what publishers are told they may send (video)
};

struct ConferenceDeps {
  const Clock& clock;
  const RoomDirectory& rooms;
  SignalOut& signal;
  CodeVerifier& codes;
  router::MediaEndpoint& endpoint;
  transport::TransportDeps transports;                              // out: the endpoint
  std::function<void(const ParticipationEvent&)> on_participation;  // may be empty
};

struct ConferenceCounters {
  uint64_t joins = 0, refused_joins = 0, leaves = 0;
  uint64_t throttled_joins = 0, busy_joins = 0;  // refused as `throttled`, answered `busy`
  uint64_t forwarded_packets = 0, forwarded_bytes = 0;
  uint64_t nacks = 0, retransmitted = 0, plis = 0;
  uint64_t retransmissions_refused = 0;  // over a subscriber's NACK budget
  uint64_t transport_feedback = 0, receiver_reports = 0, rembs = 0;
};

class Conference final : public transport::TransportListener {
 public:
  struct Participant;
  struct Room;
  struct Producer;
  struct Consumer;
  struct Connection;
  struct PendingJoin;

  Conference(ConferenceDeps deps, ConferenceOptions options);
  ~Conference() override;

  // From the signalling thread, posted to the media thread.
  void on_open(ConnectionId connection, const SocketAddress& peer,
               const std::string& page_host = {});
  void on_message(ConnectionId connection, const std::string& text);
  void on_close(ConnectionId connection);

  // About every 100 ms: transports' timers, keyframe requests, REMB.
  void on_timer();

  // transport::TransportListener
  void on_state(transport::WebRtcTransport& t, transport::TransportState state) noexcept override;
  void on_rtp(transport::WebRtcTransport& t, MutableBytes packet) noexcept override;
  void on_rtcp(transport::WebRtcTransport& t, MutableBytes packet) noexcept override;

  size_t room_count() const noexcept { return rooms_.size(); }
  size_t participant_count() const noexcept;
  const ConferenceCounters& counters() const noexcept { return counters_; }

 private:
  // conference.cc: connections and messages
  void handle(Connection& c, const ClientMessage& m);
  void refuse(Connection& c, std::string_view code, std::string_view message);
  void leave(Participant& p, std::string_view reason);
  // resume.cc: a participant outliving its WebSocket
  std::string new_resume_token(Participant& p);
  void detach(Participant& p);
  void resume(Connection& c, const ResumeRequest& r);
  void record_visit_end(const Participant& p, std::string_view reason);
  void broadcast(const Room& room, const std::string& text, const Participant* except);

  // joining.cc: the throttle, the code check, admission
  void join(Connection& c, const JoinRequest& j);
  void run_delayed_joins(SteadyTime now);
  void close_idle_connections(SteadyTime now);
  void check_code(Connection& c);
  void code_checked(ConnectionId connection, const SocketAddress& peer, const JoinRequest& request,
                    CodeMatch match);
  void abandon_join(Connection& c);
  void admit(Connection& c, const JoinRequest& request, CodeMatch match);
  JoinedInfo joined_info(const Participant& p) const;
  std::vector<IceServer> ice_servers(const Participant& p) const;

  // negotiation_flow.cc: SDP offers and answers, producers and consumers
  transport::WebRtcTransport& transport_for(Participant& p, bool publisher);
  LocalTransport local_transport(const transport::WebRtcTransport& t, uint64_t version) const;
  bool publish_allowed(Participant& p, SteadyTime now);
  void restart_subscriber_ice(Participant& p);
  uint32_t ssrc_taken(const Participant& p, const PublishPlan& plan) const;
  void publish(Participant& p, const PublishRequest& r);
  void subscriber_answer(Participant& p, const SubscriberAnswer& a);
  void renegotiate(Participant& p);
  void sync_consumers(Participant& p);

  // forwarding.cc: media
  void forward_rtp(Producer& producer, MutableBytes packet, uint16_t seq) noexcept;
  Producer* learn_ssrc(Participant& p, const rtp::RtpPacketView& packet) noexcept;
  void request_keyframe(Producer& producer, bool now_anyway) noexcept;
  void on_subscriber_rtcp(Participant& p, MutableBytes packet) noexcept;
  void resend(Participant& p, Producer& producer, const rtp::NackView& nack) noexcept;
  void on_publisher_rtcp(Participant& p, MutableBytes packet) noexcept;
  // feedback.cc: what the SFU tells publishers about their uplink.
  void record_arrival(Participant& p, const rtp::RtpPacketView& packet,
                      int64_t arrival_us) noexcept;
  void send_feedback(Participant& p, SteadyTime now) noexcept;
  void send_transport_feedback(Participant& p) noexcept;
  void send_receiver_report(Participant& p, SteadyTime now) noexcept;
  void send_remb(Participant& p) noexcept;

  ConferenceDeps deps_;
  ConferenceOptions options_;
  JoinThrottle throttle_;
  std::vector<std::pair<SteadyTime, ConnectionId>> delayed_joins_;  // joins waiting out a delay
  std::unordered_map<ConnectionId, std::unique_ptr<Connection>> connections_;
  std::map<std::string, std::unique_ptr<Room>, std::less<>> rooms_;
  // SHA-256 (hex) of each participant's current resume token -> participant.
  std::unordered_map<std::string, Participant*> resumable_;
  uint64_t next_participant_ = 1;
  ConferenceCounters counters_;
  std::array<std::byte, 1600> scratch_{};  // one forwarded packet at a time
};

}  // namespace turnd::sfu::conference

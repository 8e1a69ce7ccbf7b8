// The conference's side of SDP: a publisher's offers become producers, and
// every change in the room becomes a new offer to each subscriber (one at a
// time: a change that comes while an offer is out waits for its answer).
#include <algorithm>
#include <stdexcept>

#include "sfu/conference/conference_state.h"
#include "turnd/common/log.h"

namespace turnd::sfu::conference {
namespace {

constexpr size_t kVideoHistory = 512;  // packets kept per video track for NACKs

}  // namespace

transport::WebRtcTransport& Conference::transport_for(Participant& p, bool publisher) {
  auto& slot = publisher ? p.publisher : p.subscriber;
  if (!slot) {
    slot = std::make_unique<transport::WebRtcTransport>(deps_.transports, *this, std::nullopt,
                                                        std::string());
    slot->user = &p;
    deps_.endpoint.add(*slot);
  }
  return *slot;
}

LocalTransport Conference::local_transport(const transport::WebRtcTransport& t,
                                           uint64_t version) const {
  LocalTransport l{t.local_ice(), deps_.transports.dtls.local_fingerprint(),
                   options_.udp_candidates, options_.tcp_candidates};
  l.session_id = std::hash<std::string>{}(t.local_ice().ufrag) & 0x3FFFFFFFFFFFFFFFull;
  l.session_version = version;
  return l;
}

// Each publish costs an SDP round and an offer to everyone else: a guest
// gets `publish_burst` at once, then one per `publish_interval`.
bool Conference::publish_allowed(Participant& p, SteadyTime now) {
  double refill = std::chrono::duration<double>(now - p.publish_at) / options_.publish_interval;
  p.publish_tokens = std::min(static_cast<double>(options_.publish_burst),
                              p.publish_tokens + std::max(0.0, refill));
  p.publish_at = now;
  if (p.publish_tokens < 1) return false;
  p.publish_tokens -= 1;
  return true;
}

// An SSRC another participant of the room already sends (a guest must not
// take over someone else's stream), or 0.
uint32_t Conference::ssrc_taken(const Participant& p, const PublishPlan& plan) const {
  for (const auto& other : p.room->participants) {
    if (other.get() == &p) continue;
    for (const auto& producer : other->producers) {
      for (const PublishedTrack& t : plan.tracks) {
        for (uint32_t ssrc : {t.ssrc, t.rtx_ssrc.value_or(0)}) {
          if (ssrc != 0 && (ssrc == producer->media.ssrc || ssrc == producer->media.rtx_ssrc)) {
            return ssrc;
          }
        }
      }
    }
  }
  return 0;
}

void Conference::publish(Participant& p, const PublishRequest& r) {
  if (!publish_allowed(p, deps_.clock.now())) {
    return deps_.signal.send(
        p.connection, error_message(error::kTooFast, "too many changes at once; wait a moment"));
  }
  transport::WebRtcTransport& t = transport_for(p, true);
  PublishPlan plan;
  try {
    plan = plan_publish(r.sdp, local_transport(t, 1));
    // A new ice-ufrag from the browser is an ICE restart (RFC 8839 §4.4.1.1.1,
    // pc.restartIce() after a lost path): answered with new credentials of
    // ours, over the same DTLS association.
    const std::string& known = t.ice().remote_ufrag();
    if (!known.empty() && plan.remote.ice_ufrag != known) {
      LOG_INFO("sfu", "%s: the publisher restarts ICE", p.id.c_str());
      deps_.endpoint.restart_ice(t, ice::IceCredentials::generate(), plan.remote.ice_ufrag);
      plan = plan_publish(r.sdp, local_transport(t, 1));
      p.keyframes_until = deps_.clock.now() + std::chrono::seconds(5);
    }
  } catch (const std::invalid_argument& e) {
    return deps_.signal.send(p.connection, error_message(error::kBadMessage, e.what()));
  }
  if (uint32_t ssrc = ssrc_taken(p, plan); ssrc != 0) {
    return deps_.signal.send(
        p.connection,
        error_message(error::kBadMessage,
                      "SSRC " + std::to_string(ssrc) + " is already sent by someone in the room"));
  }
  t.set_remote(plan.remote.fingerprint, plan.remote.ice_ufrag);

  // Producers follow the offer: kept when the mid keeps its SSRC, made for new
  // tracks, dropped for tracks no longer sent.
  std::vector<std::unique_ptr<Producer>> next;
  for (const PublishedTrack& track : plan.tracks) {
    auto same = std::find_if(p.producers.begin(), p.producers.end(), [&](const auto& old) {
      if (!old || old->mid != track.mid) return false;
      if (track.ssrc_from_packets) {  // keeps what its packets told, while the rid stays
        return old->media.ssrc_from_packets && old->media.rid == track.rid;
      }
      return old->media.ssrc == track.ssrc;
    });
    if (same != p.producers.end()) {
      next.push_back(std::move(*same));
      continue;
    }
    auto producer = std::make_unique<Producer>();
    producer->owner = &p;
    producer->mid = track.mid;
    producer->media = track;
    producer->to_subscribers = subscriber_rewrite(track);
    producer->track = {track.mid, track.kind,
                       track.kind == MediaKind::kVideo ? TrackSource::kCamera : TrackSource::kMic};
    for (const TrackInfo& info : r.tracks) {
      if (info.mid == track.mid) producer->track = info;
    }
    if (track.kind == MediaKind::kVideo) {
      producer->history = std::make_unique<RtpHistory>(kVideoHistory);
    }
    producer->stats =
        rtp::ReceiveStats(track.codecs.empty() ? 90000 : track.codecs.front().clock_rate);
    next.push_back(std::move(producer));
  }
  // Transport-wide feedback when the browser numbers its packets (BUNDLE:
  // one extension ID for the whole transport).
  p.transport_cc_id = 0;
  for (const PublishedTrack& track : plan.tracks) {
    if (track.transport_cc_id != 0) p.transport_cc_id = track.transport_cc_id;
  }
  if (p.transport_cc_id != 0 && !p.arrivals) {
    p.arrivals = std::make_unique<rtp::TransportFeedback>();
  }
  for (auto& gone : p.producers) {
    if (!gone) continue;
    for (auto& other : p.room->participants) {
      for (Consumer& c : other->consumers) {
        if (c.producer == gone.get()) c.producer = nullptr;
      }
    }
    gone->subscribers.clear();
  }
  p.producers = std::move(next);
  deps_.signal.send(p.connection, publish_answer_message(plan.answer));
  LOG_INFO("sfu", "%s publishes %zu track(s)", p.id.c_str(), p.producers.size());
  for (auto& other : p.room->participants) {
    if (other.get() != &p) renegotiate(*other);
  }
}

// The subscriber's lines follow the room: a line per producer of everyone
// else; lines of producers that went are rejected (JSEP keeps their place).
void Conference::sync_consumers(Participant& p) {
  for (Consumer& c : p.consumers) {
    if (c.producer != nullptr && c.producer->owner->room != p.room) c.producer = nullptr;
  }
  for (auto& other : p.room->participants) {
    if (other.get() == &p) continue;
    for (auto& producer : other->producers) {
      if (producer->media.ssrc == 0) continue;  // offered once its packets name its SSRC
      bool has = std::any_of(p.consumers.begin(), p.consumers.end(),
                             [&](const Consumer& c) { return c.producer == producer.get(); });
      if (has) continue;
      Consumer fresh{std::to_string(p.next_mid++), producer.get(), other->id, producer->media};
      auto slot = std::find_if(p.consumers.begin(), p.consumers.end(), [&](const Consumer& c) {
        return c.recyclable && c.track.kind == producer->media.kind;
      });
      if (slot != p.consumers.end()) {
        *slot = std::move(fresh);
      } else {
        p.consumers.push_back(std::move(fresh));
      }
    }
  }
  // Every producer's subscriber list, from the consumers.
  for (auto& owner : p.room->participants) {
    for (auto& producer : owner->producers) {
      producer->subscribers.clear();
      for (auto& q : p.room->participants) {
        for (const Consumer& c : q->consumers) {
          if (c.producer == producer.get()) producer->subscribers.push_back(q.get());
        }
      }
    }
  }
}

void Conference::renegotiate(Participant& p) {
  sync_consumers(p);
  if (p.awaiting_answer) {
    p.offer_again = true;
    return;
  }
  if (p.bundle_tag.empty()) {  // the first offer: its first live line carries the transport
    auto first = std::find_if(p.consumers.begin(), p.consumers.end(),
                              [](const Consumer& c) { return c.producer != nullptr; });
    if (first == p.consumers.end()) return;  // nothing to receive yet
    p.bundle_tag = first->mid;
  }
  transport::WebRtcTransport& t = transport_for(p, false);
  std::vector<OfferedLine> lines;
  std::map<std::string, OfferedTrack> tracks;
  for (const Consumer& c : p.consumers) {
    bool tag = c.mid == p.bundle_tag;
    sdp::LineState state = c.producer != nullptr ? sdp::LineState::kSending
                           : tag                 ? sdp::LineState::kInactive
                                                 : sdp::LineState::kRejected;
    lines.push_back({c.mid, c.publisher, c.track, state, tag});
    if (c.producer != nullptr) {
      tracks[c.mid] = {c.publisher, c.producer->track.kind, c.producer->track.source};
    }
  }
  try {
    p.last_offer = subscriber_offer(lines, local_transport(t, ++p.offer_version));
  } catch (const std::invalid_argument& e) {
    LOG_ERROR("sfu", "%s: no offer: %s", p.id.c_str(), e.what());
    return;
  }
  p.awaiting_answer = true;
  deps_.signal.send(p.connection, offer_message(p.last_offer->to_string(), tracks));
}

// The client's subscriber PeerConnection lost its path: new ICE credentials
// on the server's side and a new offer carrying them (the browser's answer
// brings its new ufrag). Limited like publishing: each costs an offer.
void Conference::restart_subscriber_ice(Participant& p) {
  if (!publish_allowed(p, deps_.clock.now())) {
    return deps_.signal.send(
        p.connection, error_message(error::kTooFast, "too many changes at once; wait a moment"));
  }
  if (!p.subscriber ||
      !deps_.endpoint.restart_ice(*p.subscriber, ice::IceCredentials::generate(), std::string())) {
    return deps_.signal.send(p.connection,
                             error_message(error::kBadMessage, "no connection to restart"));
  }
  LOG_INFO("sfu", "%s: the subscriber restarts ICE", p.id.c_str());
  if (p.awaiting_answer) {
    p.offer_again = true;  // the next offer carries the new credentials
  } else {
    renegotiate(p);
  }
}

void Conference::subscriber_answer(Participant& p, const SubscriberAnswer& a) {
  if (!p.awaiting_answer || !p.subscriber || !p.last_offer) {
    return deps_.signal.send(p.connection,
                             error_message(error::kBadMessage, "no offer waits for an answer"));
  }
  RemoteTransport remote;
  try {
    remote = check_subscriber_answer(*p.last_offer, a.sdp);
  } catch (const std::invalid_argument& e) {
    return deps_.signal.send(p.connection, error_message(error::kBadMessage, e.what()));
  }
  p.subscriber->set_remote(remote.fingerprint, remote.ice_ufrag);
  p.awaiting_answer = false;
  // Lines this answer saw rejected may now take new tracks.
  for (Consumer& c : p.consumers) {
    if (c.producer != nullptr) continue;
    for (const sdp::MediaDescription& m : p.last_offer->media) {
      if (m.mid == c.mid && m.rejected()) c.recyclable = true;
    }
  }
  if (p.offer_again) {
    p.offer_again = false;
    renegotiate(p);
  } else if (p.subscriber->state() == transport::TransportState::kConnected) {
    // New lines: their publishers send a keyframe for them.
    for (const Consumer& c : p.consumers) {
      if (c.producer != nullptr) request_keyframe(*c.producer, true);
    }
  }
}

}  // namespace turnd::sfu::conference

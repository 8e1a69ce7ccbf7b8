// The media path: RTP from a publisher's producer to every subscriber of it
// (decrypted once, renumbered once to the subscribers' payload types and
// extension IDs, encrypted once per subscriber; the subscriber offers carry
// the producer's SSRC), RTCP
// feedback the other way: PLI/FIR to the publisher (at most one per second,
// and at once when a subscriber connects), NACKs answered from the
// producer's history, the publisher's sender reports to the subscribers.
// Bandwidth feedback and receiver reports to publishers: feedback.cc.
#include <algorithm>

#include "sfu/conference/conference_state.h"
#include "sfu/rtp/header_extensions.h"
#include "sfu/rtp/rtcp.h"
#include "sfu/rtp/rtcp_feedback.h"
#include "sfu/rtp/rtcp_reports.h"
#include "sfu/rtp/rtp_packet.h"
#include "sfu/sdp/codecs.h"
#include "turnd/common/log.h"

namespace turnd::sfu::conference {
namespace {

constexpr uint32_t kSfuSsrc = 1;  // the sender SSRC of the SFU's own RTCP
constexpr auto kKeyframeInterval = std::chrono::milliseconds(1000);
// NACKs: a subscriber earns a quarter of the bytes it is sent as
// retransmission budget (up to 256 KiB), one NACK packet resends at most 64
// packets, and a packet is not resent to the same subscriber within 100 ms.
// A hostile subscriber cannot make the SFU send more than it receives.
constexpr uint64_t kRetransmitBurst = 256 * 1024;
constexpr size_t kMaxResendsPerNack = 64;
constexpr auto kResendGap = std::chrono::milliseconds(100);

Conference::Participant* owner(transport::WebRtcTransport& t) {
  return static_cast<Conference::Participant*>(t.user);
}

}  // namespace

void Conference::on_rtp(transport::WebRtcTransport& t, MutableBytes packet) noexcept {
  Participant* p = owner(t);
  if (p == nullptr || &t != p->publisher.get()) return;  // subscribers send no media
  rtp::RtpPacketView view;
  if (rtp::RtpPacketView::parse(packet, view) != rtp::RtpError::kOk) return;
  const int64_t arrival_us = microseconds_of(deps_.clock.now());
  record_arrival(*p, view, arrival_us);  // every packet, RTX and bandwidth probes too
  Producer* producer = nullptr;
  for (auto& candidate : p->producers) {
    if (candidate->media.ssrc == view.ssrc()) {
      producer = candidate.get();
      break;
    }
  }
  if (producer == nullptr) producer = learn_ssrc(*p, view);
  if (producer == nullptr) return;
  p->bytes_in += packet.size();
  producer->stats.on_packet(view.sequence_number(), view.timestamp(), arrival_us);
  // Renumbered once for everyone (negotiation.h); a payload type the
  // subscribers were not offered goes no further.
  if (!producer->to_subscribers.apply(packet, view)) return;
  forward_rtp(*producer, packet, view.sequence_number());
}

// A track the offer did not give an SSRC (RFC 8843 §15: identified by MID,
// and by RID in a simulcast offer) takes the SSRC of the first packet that
// carries its mid (and rid) in a payload type of its own — not an RTX —
// unless someone in the room already sends on it. The others are then
// offered the track. Runs only for packets of unknown SSRCs, and binds each
// track once.
Conference::Producer* Conference::learn_ssrc(Participant& p,
                                             const rtp::RtpPacketView& view) noexcept {
  for (auto& producer : p.producers) {
    const PublishedTrack& m = producer->media;
    if (!m.ssrc_from_packets || m.ssrc != 0 || m.mid_id == 0) continue;
    const auto mid = view.find_extension(m.mid_id);
    if (!mid || rtp::read_mid(*mid) != producer->mid) continue;
    if (!m.rid.empty()) {
      const auto rid = view.find_extension(m.rid_id);
      if (!rid || as_string(*rid) != m.rid) continue;
    }
    const sdp::Codec* codec = nullptr;
    for (const sdp::Codec& c : m.codecs) {
      if (c.payload_type == view.payload_type() && !sdp::is_rtx(c)) codec = &c;
    }
    if (codec == nullptr) continue;
    for (auto& person : p.room->participants) {
      for (auto& other : person->producers) {
        if (other->media.ssrc == view.ssrc() || other->media.rtx_ssrc == view.ssrc()) {
          return nullptr;
        }
      }
    }
    producer->media.ssrc = view.ssrc();
    LOG_INFO("sfu", "%s: track %s sends on SSRC %u (named by its %s)", p.id.c_str(),
             log::printable(producer->mid).c_str(), view.ssrc(), m.rid.empty() ? "mid" : "rid");
    for (auto& other : p.room->participants) {
      if (other.get() != &p) renegotiate(*other);
    }
    return producer.get();
  }
  return nullptr;
}

void Conference::forward_rtp(Producer& producer, MutableBytes packet, uint16_t seq) noexcept {
  producer.packets++;
  producer.bytes += packet.size();
  if (producer.history) {
    producer.history->store(seq, packet);
  }
  for (Participant* subscriber : producer.subscribers) {
    if (!subscriber->subscriber) continue;
    if (subscriber->subscriber->forward_rtp(packet)) {
      counters_.forwarded_packets++;
      counters_.forwarded_bytes += packet.size();
      subscriber->bytes_out += packet.size();
      subscriber->retransmit_budget =
          std::min(kRetransmitBurst, subscriber->retransmit_budget + packet.size() / 4);
    }
  }
}

void Conference::on_rtcp(transport::WebRtcTransport& t, MutableBytes packet) noexcept {
  Participant* p = owner(t);
  if (p == nullptr) return;
  if (&t == p->subscriber.get()) {
    on_subscriber_rtcp(*p, packet);
  } else if (&t == p->publisher.get()) {
    on_publisher_rtcp(*p, packet);
  }
}

// Feedback from someone receiving: keyframe requests and NACKs concern the
// producer behind the media SSRC.
void Conference::on_subscriber_rtcp(Participant& p, MutableBytes packet) noexcept {
  rtp::RtcpCompound compound;
  if (rtp::RtcpCompound::parse(packet, compound) != rtp::RtcpError::kOk) return;
  auto producer_of = [&p](uint32_t ssrc) -> Producer* {
    for (const Consumer& c : p.consumers) {
      if (c.producer != nullptr && c.producer->media.ssrc == ssrc) return c.producer;
    }
    return nullptr;
  };
  for (const rtp::RtcpPacketView& rtcp : compound) {
    rtp::PliView pli;
    rtp::FirView fir;
    rtp::NackView nack;
    if (rtp::PliView::parse(rtcp, pli) == rtp::RtcpError::kOk) {
      if (Producer* producer = producer_of(pli.media_ssrc())) request_keyframe(*producer, false);
    } else if (rtp::FirView::parse(rtcp, fir) == rtp::RtcpError::kOk) {
      for (size_t i = 0; i < fir.entry_count(); ++i) {
        if (Producer* producer = producer_of(fir.entry(i).ssrc)) request_keyframe(*producer, false);
      }
    } else if (rtp::NackView::parse(rtcp, nack) == rtp::RtcpError::kOk) {
      Producer* producer = producer_of(nack.media_ssrc());
      if (producer == nullptr || !producer->history || !p.subscriber) continue;
      counters_.nacks++;
      resend(p, *producer, nack);
    }
  }
}

// The packets a NACK asks for, within the subscriber's budget (see above).
void Conference::resend(Participant& p, Producer& producer, const rtp::NackView& nack) noexcept {
  const SteadyTime now = deps_.clock.now();
  const uint32_t ssrc = producer.media.ssrc;
  size_t resends = 0, asked = 0;
  nack.for_each_lost([&](uint16_t seq) {
    // A NACK may list thousands of numbers: look at no more than a few times
    // what may be resent, so the duplicate scan below stays bounded too.
    if (resends == kMaxResendsPerNack || ++asked > 4 * kMaxResendsPerNack) {
      counters_.retransmissions_refused++;
      return;
    }
    auto recent = std::find_if(p.recently_resent.begin(), p.recently_resent.end(),
                               [&](const Participant::Resent& r) {
                                 return r.ssrc == ssrc && r.seq == seq && now - r.at < kResendGap;
                               });
    if (recent != p.recently_resent.end()) return;  // asked again before it could arrive
    Bytes stored = producer.history->find(seq);
    if (stored.empty()) return;
    if (stored.size() > p.retransmit_budget) {
      counters_.retransmissions_refused++;
      return;
    }
    if (!p.subscriber->forward_rtp(stored)) return;
    ++resends;
    counters_.retransmitted++;
    p.retransmit_budget -= stored.size();
    p.recently_resent[p.next_resent++ % p.recently_resent.size()] = {ssrc, seq, now};
  });
}

// From a publisher: its sender reports go on to its subscribers (same SSRC),
// so they can synchronise audio and video.
void Conference::on_publisher_rtcp(Participant& p, MutableBytes packet) noexcept {
  rtp::RtcpCompound compound;
  if (rtp::RtcpCompound::parse(packet, compound) != rtp::RtcpError::kOk) return;
  for (const rtp::RtcpPacketView& rtcp : compound) {
    rtp::SenderReportView sr;
    if (rtp::SenderReportView::parse(rtcp, sr) != rtp::RtcpError::kOk) continue;
    for (auto& producer : p.producers) {
      if (producer->media.ssrc != sr.sender_ssrc()) continue;
      producer->stats.on_sender_report(sr.sender_info().ntp_timestamp,
                                       microseconds_of(deps_.clock.now()));
      for (Participant* subscriber : producer->subscribers) {
        if (subscriber->subscriber) subscriber->subscriber->forward_rtcp(rtcp.data());
      }
    }
  }
}

// PLI to the publisher; `now_anyway` skips the one-per-second limit (a new
// subscriber must get a keyframe at once).
void Conference::request_keyframe(Producer& producer, bool now_anyway) noexcept {
  if (producer.track.kind != MediaKind::kVideo || !producer.owner->publisher) return;
  SteadyTime now = deps_.clock.now();
  if (!now_anyway && now - producer.last_keyframe_request < kKeyframeInterval) return;
  producer.last_keyframe_request = now;
  size_t n = rtp::build_pli(scratch_, kSfuSsrc, producer.media.ssrc);
  if (n != 0 && producer.owner->publisher->send_rtcp(scratch_, n)) counters_.plis++;
}

void Conference::on_state(transport::WebRtcTransport& t, transport::TransportState state) noexcept {
  Participant* p = owner(t);
  if (p == nullptr) return;
  using transport::TransportState;
  if (state == TransportState::kFailed) {
    if (!p->broken_since) p->broken_since = deps_.clock.now();
    LOG_INFO("sfu", "%s: %s transport failed", p->id.c_str(),
             &t == p->publisher.get() ? "publisher" : "subscriber");
    return;
  }
  // An ICE restart brought it back: the participant stays.
  auto failed = [](const std::unique_ptr<transport::WebRtcTransport>& x) {
    return x && x->state() == TransportState::kFailed;
  };
  if (p->broken_since && !failed(p->publisher) && !failed(p->subscriber)) {
    p->broken_since.reset();
  }
  if (state == TransportState::kConnected && &t == p->subscriber.get()) {
    for (const Consumer& c : p->consumers) {
      if (c.producer != nullptr) request_keyframe(*c.producer, true);
    }
  }
}

void Conference::on_timer() {
  SteadyTime now = deps_.clock.now();
  run_delayed_joins(now);
  close_idle_connections(now);
  std::vector<Participant*> broken;
  for (auto& [slug, room] : rooms_) {
    for (auto& p : room->participants) {
      for (auto* t : {p->publisher.get(), p->subscriber.get()}) {
        if (t != nullptr) t->on_timer(now);
      }
      if ((p->broken_since && now - *p->broken_since >= options_.broken_transport_timeout) ||
          (p->detached_since && now - *p->detached_since >= options_.resume_window)) {
        broken.push_back(p.get());
        continue;
      }
      send_feedback(*p, now);
      if (p->keyframes_until && now < *p->keyframes_until) {
        for (auto& producer : p->producers) {
          if (producer && producer->media.kind == MediaKind::kVideo)
            request_keyframe(*producer, false);
        }
      } else {
        p->keyframes_until.reset();
      }
    }
  }
  for (Participant* p : broken) {
    ConnectionId connection = p->connection;
    leave(*p, "timeout");
    deps_.signal.close(connection);
  }
}

}  // namespace turnd::sfu::conference

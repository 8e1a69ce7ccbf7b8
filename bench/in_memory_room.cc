#include "bench/in_memory_room.h"

#include <stdexcept>

#include "db/code_hash.h"
#include "turnd/common/log.h"

namespace turnd::sfu::bench {
namespace {
const SocketAddress kSfu = *SocketAddress::parse("192.0.2.1:7882");
}  // namespace

Room::Room(int n, const BrowserOptions& browsers) {
  log::configure(log::Level::kWarning, "", true);
  db::Room room;
  room.id = 1;
  room.slug = kRoom;
  room.display_name = "Bench";
  db::CodeHashParams fast;  // setup only: the code check is not what is measured
  fast.scrypt_n = 1024;
  room.participant_code_hash = db::hash_code(kCode, fast);
  rooms_.replace({room});
  conference::ConferenceOptions options;
  options.udp_candidates = {kSfu};
  conference_ = std::make_unique<conference::Conference>(
      conference::ConferenceDeps{clock_, rooms_, signal_, codes_, endpoint_,
                                 transport::TransportDeps{clock_, dtls_, srtp_, mac_, endpoint_},
                                 nullptr},
      options);
  for (int i = 0; i < n; ++i) add(i, browsers);
  // Video without an announced SSRC is offered once its first packet names it.
  const size_t offered = (browsers.announce_video_ssrc ? 2 : 1) * (people_.size() - 1);
  for (auto& p : people_) {
    if (!p->browser->published() || p->browser->offered_tracks() != offered) {
      throw std::runtime_error("signalling did not settle");
    }
    p->browser->connect(Pc::kPublisher);
    p->browser->connect(Pc::kSubscriber);
  }
  pump_media();
  for (auto& p : people_) {
    if (!p->browser->connected(Pc::kPublisher) || !p->browser->connected(Pc::kSubscriber)) {
      throw std::runtime_error("DTLS did not complete");
    }
  }
  if (!browsers.announce_video_ssrc) {
    for (size_t i = 0; i < people_.size(); ++i) {
      Packet packet;
      packet.participant = i;
      packet.length = people_[i]->browser->make_rtp(Media::kVideo, packet.bytes);
      deliver(packet);
    }
    pump_signals();
    for (auto& p : people_) {
      if (p->browser->offered_tracks() != 2 * (people_.size() - 1)) {
        throw std::runtime_error("video named by its mid was not offered");
      }
    }
  }
  check_forwarding(Media::kAudio);
  check_forwarding(Media::kVideo);
}

// Participant i joins; its two PeerConnections come from their own 5-tuples.
void Room::add(int i, const BrowserOptions& browsers) {
  auto p = std::make_unique<Participant>();
  for (size_t pc = 0; pc < 2; ++pc) {
    auto addr = *SocketAddress::parse("198.51.100." + std::to_string(i / 100 + 1) + ":" +
                                      std::to_string(40000 + (i % 100) * 2 + pc));
    p->wires[pc].tuple = {addr, kSfu, turn::ClientTransport::kUdp};
  }
  Participant* raw = p.get();
  p->browser =
      std::make_unique<SimulatedBrowser>(i, srtp_, mac_, browsers, [this, raw](Pc pc, Bytes d) {
        to_sfu_.emplace_back(&raw->wires[static_cast<size_t>(pc)],
                             std::vector<std::byte>(d.begin(), d.end()));
      });
  people_.push_back(std::move(p));
  join(people_.size() - 1);
}

void Room::join(size_t i) {
  auto c = static_cast<conference::ConnectionId>(i + 1);
  conference_->on_open(c, people_[i]->wires[0].tuple.client);
  conference_->on_message(c, people_[i]->browser->join_message(kRoom, kCode));
  mailbox_.run_one();
  pump_signals();
}

void Room::pump_signals() {
  while (!signal_.out.empty()) {
    auto [c, text] = std::move(signal_.out.front());
    signal_.out.pop_front();
    if (auto reply = people_[c - 1]->browser->on_signal(text)) conference_->on_message(c, *reply);
  }
}

// Moves datagrams both ways until neither side has anything to say.
void Room::pump_media() {
  for (bool moved = true; moved;) {
    moved = false;
    while (!to_sfu_.empty()) {
      auto [wire, d] = std::move(to_sfu_.front());
      to_sfu_.pop_front();
      d.resize(d.size() + 64);
      endpoint_.on_client_packet(wire->tuple, wire->link, MutableBytes(d.data(), d.size() - 64));
      moved = true;
    }
    for (auto& p : people_) {
      for (size_t pc = 0; pc < 2; ++pc) {
        auto& q = p->wires[pc].sink.datagrams;
        while (!q.empty()) {
          auto d = std::move(q.front());
          q.pop_front();
          p->browser->on_datagram(static_cast<Pc>(pc), d);
          moved = true;
        }
      }
    }
  }
}

// One packet from each publisher reaches every other participant, decrypts
// there, and carries the publisher's SSRC. It also makes
// libsrtp clone its per-SSRC streams now, not while timing.
void Room::check_forwarding(Media media) {
  for (auto& p : people_) {
    for (auto& q : people_) q->wires[1].sink.datagrams.clear();
    Packet packet;
    packet.length = p->browser->make_rtp(media, packet.bytes);
    endpoint_.on_client_packet(p->wires[0].tuple, p->wires[0].link,
                               MutableBytes(packet.bytes.data(), packet.length));
    for (auto& q : people_) {
      auto& got = q->wires[1].sink.datagrams;
      if (q == p) continue;
      if (got.size() != 1) throw std::runtime_error("a subscriber did not get the packet");
      auto plain = q->browser->unprotect_forwarded(got.front());
      if (!plain || load_be32(plain->data() + 8) != p->browser->ssrc(media)) {
        throw std::runtime_error("a forwarded packet does not decrypt to the publisher's");
      }
    }
  }
  for (auto& q : people_) q->wires[1].sink.datagrams.clear();
}

void Room::prepare(std::vector<Packet>& batch, Media media) {
  for (Packet& p : batch) {
    p.participant = next_publisher_++ % people_.size();
    p.length = people_[p.participant]->browser->make_rtp(media, p.bytes);
  }
}

void Room::capture(bool on) {
  for (auto& p : people_) {
    for (Wire& w : p->wires) w.sink.capture = on;
  }
}

}  // namespace turnd::sfu::bench

// Connections, joining and leaving, and the small messages (mute, kick, lock).
#include <algorithm>

#include "sfu/conference/conference_state.h"
#include "turnd/auth/authenticator.h"
#include "turnd/common/log.h"
#include "turnd/stun/integrity.h"

namespace turnd::sfu::conference {

Conference::Conference(ConferenceDeps deps, ConferenceOptions options)
    : deps_(std::move(deps)), options_(std::move(options)), throttle_(options_.join_limits) {}

// turnd stops: everyone's visit ends as 'shutdown' (no messages: the
// signalling server has stopped).
Conference::~Conference() {
  for (auto& [slug, room] : rooms_) {
    for (auto& p : room->participants) {
      record_visit_end(*p, "shutdown");
      for (auto* t : {p->publisher.get(), p->subscriber.get()}) {
        if (t != nullptr) deps_.endpoint.remove(*t);
      }
    }
  }
}

void Conference::record_visit_end(const Participant& p, std::string_view reason) {
  if (!deps_.on_participation || !p.room->info) return;
  ParticipationEvent e{p.visit_id, p.room->info->id, p.id,         p.name,
                       p.client,   p.moderator,      p.joined_unix};
  e.left_at = std::max(deps_.clock.unix_seconds(), p.joined_unix);
  e.end_reason = std::string(reason);
  for (const auto& producer : p.producers) {
    const char* kind = producer->track.source == TrackSource::kScreen ? "screen"
                       : producer->track.kind == MediaKind::kAudio    ? "audio"
                                                                      : "video";
    if (std::find(e.media_sent.begin(), e.media_sent.end(), kind) == e.media_sent.end()) {
      e.media_sent.emplace_back(kind);
    }
  }
  e.bytes_from = p.bytes_in;
  e.bytes_to = p.bytes_out;
  deps_.on_participation(e);
}

size_t Conference::participant_count() const noexcept {
  size_t n = 0;
  for (const auto& [slug, room] : rooms_) n += room->participants.size();
  return n;
}

void Conference::on_open(ConnectionId connection, const SocketAddress& peer,
                         const std::string& page_host) {
  auto c = std::make_unique<Connection>();
  c->id = connection;
  c->peer = peer;
  c->page_host = page_host;
  c->must_join_by = deps_.clock.now() + options_.join_deadline;
  connections_[connection] = std::move(c);
}

void Conference::on_close(ConnectionId connection) {
  auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  if (Participant* p = it->second->participant) {
    if (options_.resume_window.count() > 0) {
      detach(*p);  // resumable for a while (a proxy cut the WebSocket, say)
    } else {
      leave(*p, "left");
    }
  }
  abandon_join(*it->second);
  connections_.erase(connection);
}

void Conference::on_message(ConnectionId connection, const std::string& text) {
  auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  auto parsed = parse_client_message(text);
  if (auto* e = std::get_if<ProtocolError>(&parsed)) {
    return refuse(*it->second, e->code, e->message);
  }
  handle(*it->second, std::get<ClientMessage>(parsed));
}

void Conference::refuse(Connection& c, std::string_view code, std::string_view message) {
  deps_.signal.send(c.id, error_message(code, message));
}

void Conference::handle(Connection& c, const ClientMessage& m) {
  if (const auto* j = std::get_if<JoinRequest>(&m)) return join(c, *j);
  if (const auto* r = std::get_if<ResumeRequest>(&m)) return resume(c, *r);
  if (std::holds_alternative<PingRequest>(m)) return deps_.signal.send(c.id, pong_message());
  Participant* p = c.participant;
  if (p == nullptr) return refuse(c, error::kNotJoined, "join a room first");
  if (const auto* r = std::get_if<PublishRequest>(&m)) return publish(*p, *r);
  if (const auto* a = std::get_if<SubscriberAnswer>(&m)) return subscriber_answer(*p, *a);
  if (std::holds_alternative<RestartIceRequest>(m)) return restart_subscriber_ice(*p);
  if (const auto* mute = std::get_if<MuteRequest>(&m)) {
    (mute->kind == MediaKind::kAudio ? p->audio_muted : p->video_muted) = mute->muted;
    return broadcast(*p->room, muted_message(p->id, mute->kind, mute->muted), p);
  }
  if (const auto* kick = std::get_if<KickRequest>(&m)) {
    if (!p->moderator) return refuse(c, error::kForbidden, "only a moderator may remove people");
    for (auto& other : p->room->participants) {
      if (other->id == kick->participant && other.get() != p) {
        ConnectionId target = other->connection;
        deps_.signal.send(target, kicked_message());
        leave(*other, "kicked");
        deps_.signal.close(target);
        return;
      }
    }
    return refuse(c, error::kBadMessage, "no participant '" + kick->participant + "' here");
  }
  if (const auto* lock = std::get_if<LockRequest>(&m)) {
    if (!p->moderator) return refuse(c, error::kForbidden, "only a moderator may lock the room");
    p->room->locked = lock->locked;
    return broadcast(*p->room, room_locked_message(lock->locked), nullptr);
  }
  if (std::holds_alternative<LeaveRequest>(m)) {
    leave(*p, "left");
    deps_.signal.close(c.id);
  }
}

JoinedInfo Conference::joined_info(const Participant& p) const {
  JoinedInfo info;
  info.id = p.id;
  info.moderator = p.moderator;
  info.room_slug = p.room->slug;
  info.room_name = p.room->info ? p.room->info->display_name : p.room->slug;
  info.locked = p.room->locked;
  for (const auto& other : p.room->participants) {
    if (other.get() == &p) continue;
    info.participants.push_back({other->id, other->name, other->audio_muted, other->video_muted});
  }
  info.ice_servers = ice_servers(p);
  return info;
}

// turnd's own TURN with a REST credential for this participant (coturn's
// use-auth-secret scheme): a browser behind a UDP-blocking firewall falls
// back to TURN over TCP/TLS by itself.
// TURN over TLS goes to a host name when there is one (options.turns_host,
// else the name the browser reached the page by): Firefox uses turns: only
// with a name, which its certificate check must match.
std::vector<IceServer> Conference::ice_servers(const Participant& p) const {
  std::vector<std::string> urls = options_.turn_urls;
  if (options_.turns_port != 0) {
    const std::string& name = !options_.turns_host.empty() ? options_.turns_host : p.page_host;
    const std::string& host = !name.empty() ? name : options_.turns_address;
    urls.push_back("turns:" + host + ":" + std::to_string(options_.turns_port) + "?transport=tcp");
  }
  if (urls.empty() || options_.turn_secret.empty()) return {};
  std::string username =
      std::to_string(deps_.clock.unix_seconds() + options_.turn_credential_lifetime) +
      options_.rest_separator + p.id;
  stun::MacContext mac;
  std::string password = auth::Authenticator::rest_password(mac, options_.turn_secret, username);
  return {IceServer{std::move(urls), username, password}};
}

void Conference::leave(Participant& p, std::string_view reason) {
  Room& room = *p.room;
  std::string id = p.id;
  std::string slug = room.slug;
  for (auto* t : {p.publisher.get(), p.subscriber.get()}) {
    if (t != nullptr) {
      t->close();
      deps_.endpoint.remove(*t);
    }
  }
  record_visit_end(p, reason);
  if (!p.resume_key.empty()) resumable_.erase(p.resume_key);
  if (auto cit = connections_.find(p.connection); cit != connections_.end()) {
    cit->second->participant = nullptr;
  }
  auto& list = room.participants;
  // Consumers of the leaving producers point at them: detach first.
  for (auto& other : list) {
    for (Consumer& consumer : other->consumers) {
      if (consumer.producer != nullptr && consumer.producer->owner == &p)
        consumer.producer = nullptr;
    }
  }
  list.erase(std::remove_if(list.begin(), list.end(), [&](const auto& x) { return x.get() == &p; }),
             list.end());
  counters_.leaves++;
  LOG_INFO("sfu", "%s left room %s (%.*s)", id.c_str(), room.slug.c_str(),
           static_cast<int>(reason.size()), reason.data());
  broadcast(room, participant_left_message(id, reason), nullptr);
  for (auto& other : list) renegotiate(*other);
  if (list.empty()) rooms_.erase(slug);
}

void Conference::broadcast(const Room& room, const std::string& text, const Participant* except) {
  for (const auto& p : room.participants) {
    if (p.get() != except) deps_.signal.send(p->connection, text);
  }
}

}  // namespace turnd::sfu::conference

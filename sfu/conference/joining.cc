// Joining a room: the throttle (join_throttle.h), the code check off-thread
// (code_verifier.h), and admission. A join goes
//   join()         submitted: refused `throttled` or `busy`, or let go, maybe
//                  after a delay (delayed_joins_, run from on_timer)
//   check_code()   the host bucket is asked again, the check is queued (a full
//                  queue answers `busy`)
//   code_checked() back on the media thread: counted, then admit() or
//                  `wrong-code`
// A connection that is in no room and asks for none within join_deadline is
// closed (close_idle_connections).
// An unknown or expired room goes the same way as a known one and answers
// exactly like a wrong code (same delay, same cost, same message), and
// `room-locked` / `room-full` are only told to people whose code was right.
#include <openssl/rand.h>

#include <algorithm>

#include "sfu/conference/conference_state.h"
#include "turnd/common/log.h"

namespace turnd::sfu::conference {
namespace {
constexpr std::string_view kWrongCodeText = "the room or its access code is not right";
}

void Conference::join(Connection& c, const JoinRequest& j) {
  if (c.participant != nullptr || c.join) {
    return refuse(c, error::kBadMessage, "this connection has joined already");
  }
  SteadyTime now = deps_.clock.now();
  c.must_join_by = now + options_.join_deadline;  // refused? another try may follow
  JoinThrottle::Decision d = throttle_.submit(c.peer, j.room, now);
  if (d.verdict == JoinThrottle::Verdict::kThrottled) {
    counters_.refused_joins++;
    counters_.throttled_joins++;
    return refuse(c, error::kThrottled, "too many wrong codes; try again in a few minutes");
  }
  if (d.verdict == JoinThrottle::Verdict::kBusy) {
    counters_.busy_joins++;
    return refuse(c, error::kBusy, "many people are joining from your network; try again");
  }
  c.join =
      PendingJoin{j, std::nullopt,
                  d.low_priority ? CodeVerifier::Priority::kLow : CodeVerifier::Priority::kNormal};
  if (d.delay.count() == 0) return check_code(c);
  c.join->check_at = now + d.delay;
  delayed_joins_.emplace_back(*c.join->check_at, c.id);
}

// From on_timer: the joins whose delay has ended.
void Conference::run_delayed_joins(SteadyTime now) {
  if (delayed_joins_.empty()) return;
  std::vector<ConnectionId> due;
  std::erase_if(delayed_joins_, [&](const auto& entry) {
    if (entry.first > now) return false;
    due.push_back(entry.second);
    return true;
  });
  for (ConnectionId id : due) {
    auto it = connections_.find(id);
    if (it != connections_.end() && it->second->join && it->second->join->check_at) {
      check_code(*it->second);
    }
  }
}

// From on_timer: connections that never asked to join (or stopped trying)
// hold a socket and memory for nothing.
void Conference::close_idle_connections(SteadyTime now) {
  for (auto& [id, c] : connections_) {
    if (c->participant == nullptr && !c->join && now >= c->must_join_by) {
      c->must_join_by = SteadyTime::max();  // closed once; on_close follows
      deps_.signal.close(id);
    }
  }
}

void Conference::check_code(Connection& c) {
  PendingJoin& pending = *c.join;
  pending.check_at.reset();
  SteadyTime now = deps_.clock.now();
  if (throttle_.refused(c.peer, now)) {  // guesses in parallel came back wrong meanwhile
    throttle_.finished(c.peer, pending.request.room, false, now);
    c.join.reset();
    counters_.refused_joins++;
    counters_.throttled_joins++;
    return refuse(c, error::kThrottled, "too many wrong codes; try again in a few minutes");
  }
  CodeCheck check{pending.request.code, {}, {}};
  RoomDirectory::Entry room = deps_.rooms.find(pending.request.room);
  if (room && !(room->expires_at && *room->expires_at <= deps_.clock.unix_seconds())) {
    check.participant_hash = room->participant_code_hash;
    check.moderator_hash = room->moderator_code_hash;
  }
  ConnectionId id = c.id;
  SocketAddress peer = c.peer;
  bool queued = deps_.codes.verify(std::move(check), pending.priority,
                                   [this, id, peer, request = pending.request](CodeMatch match) {
                                     code_checked(id, peer, request, match);
                                   });
  if (!queued) {
    throttle_.finished(c.peer, pending.request.room, false, now);
    c.join.reset();
    counters_.busy_joins++;
    return refuse(c, error::kBusy, "many people are joining right now; try again");
  }
}

// The connection closed while its join waited out a delay: nothing was
// checked, nothing counts. (A check under way still counts when it returns.)
void Conference::abandon_join(Connection& c) {
  if (c.join && c.join->check_at) {
    throttle_.finished(c.peer, c.join->request.room, false, deps_.clock.now());
  }
  c.join.reset();
}

void Conference::code_checked(ConnectionId connection, const SocketAddress& peer,
                              const JoinRequest& request, CodeMatch match) {
  throttle_.finished(peer, request.room, match == CodeMatch::kNone, deps_.clock.now());
  auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  Connection& c = *it->second;
  c.join.reset();
  if (match == CodeMatch::kNone) {
    counters_.refused_joins++;
    LOG_INFO("sfu", "wrong access code (or no such room) from %s", log::pseudonym(peer).c_str());
    return refuse(c, error::kWrongCode, kWrongCodeText);
  }
  admit(c, request, match);
}

// The code was right: the room may have filled up, been locked or deleted
// since.
void Conference::admit(Connection& c, const JoinRequest& request, CodeMatch match) {
  const std::string& slug = request.room;
  RoomDirectory::Entry info = deps_.rooms.find(slug);
  if (!info) return refuse(c, error::kNoSuchRoom, "the room was deleted");
  auto& room = rooms_[slug];
  if (!room) {
    room = std::make_unique<Room>();
    room->slug = slug;
  }
  room->info = info;
  bool moderator = match == CodeMatch::kModerator;
  if (room->locked && !moderator) {
    counters_.refused_joins++;
    return refuse(c, error::kRoomLocked, "the room is locked");
  }
  if (info->max_participants &&
      room->participants.size() >= static_cast<size_t>(*info->max_participants)) {
    counters_.refused_joins++;
    return refuse(c, error::kRoomFull, "the room is full");
  }
  auto p = std::make_unique<Participant>();
  p->id = "p" + std::to_string(next_participant_++);
  p->name = request.name;
  p->moderator = moderator;
  p->room = room.get();
  p->connection = c.id;
  p->client = c.peer;
  p->page_host = c.page_host;
  p->joined_unix = deps_.clock.unix_seconds();
  p->publish_tokens = options_.publish_burst;
  p->publish_at = deps_.clock.now();
  RAND_bytes(reinterpret_cast<unsigned char*>(p->visit_id.data()), 16);
  p->visit_id[6] = (p->visit_id[6] & std::byte{0x0F}) | std::byte{0x40};
  p->visit_id[8] = (p->visit_id[8] & std::byte{0x3F}) | std::byte{0x80};
  c.participant = p.get();
  Participant& joined = *p;
  room->participants.push_back(std::move(p));
  counters_.joins++;
  LOG_INFO("sfu", "%s joined room %s%s (%zu in the room)", joined.id.c_str(), slug.c_str(),
           moderator ? " as moderator" : "", room->participants.size());
  JoinedInfo info_out = joined_info(joined);
  info_out.resume = new_resume_token(joined);
  deps_.signal.send(c.id, joined_message(info_out));
  broadcast(*joined.room, participant_joined_message({joined.id, joined.name, false, false}),
            &joined);
  if (deps_.on_participation) {
    deps_.on_participation({joined.visit_id, info->id, joined.id, joined.name, joined.client,
                            moderator, joined.joined_unix});
  }
  renegotiate(joined);  // what the others already publish
}

}  // namespace turnd::sfu::conference

#include "sfu/router/media_endpoint.h"

namespace turnd::sfu::router {

namespace {

transport::WebRtcTransport* transport_of(ice::IceAgent* agent) noexcept {
  return agent == nullptr ? nullptr : static_cast<transport::WebRtcTransport*>(agent->user);
}

}  // namespace

void MediaEndpoint::add(transport::WebRtcTransport& t) {
  registry_.add(t.ice());
  if (t.ice().user != &t) ++transports_;
  t.ice().user = &t;
}

void MediaEndpoint::remove(transport::WebRtcTransport& t) noexcept {
  t.ice().for_each_path([this](const ice::Path& p) { forget_link(p); });
  registry_.remove(t.ice());
  if (t.ice().user == &t) --transports_;
  t.ice().user = nullptr;
}

bool MediaEndpoint::restart_ice(transport::WebRtcTransport& t, ice::IceCredentials local,
                                std::string remote_ufrag) {
  std::string old = t.local_ice().ufrag;
  if (!t.restart_ice(std::move(local), std::move(remote_ufrag))) return false;
  registry_.rekey(t.ice(), old);
  return true;
}

std::optional<uint32_t> MediaEndpoint::find_socket(const turn::FiveTuple& tuple) const noexcept {
  for (size_t i = 0; i < sockets_.size(); ++i) {
    if (sockets_[i].first == tuple.server && sockets_[i].second == tuple.transport) {
      return static_cast<uint32_t>(i);
    }
  }
  return std::nullopt;
}

bool MediaEndpoint::has_allocation(const turn::FiveTuple& tuple) const noexcept {
  auto socket = find_socket(tuple);
  return socket && registry_.find(ice::Path{tuple.client, *socket}) != nullptr;
}

uint32_t MediaEndpoint::socket_id(const turn::FiveTuple& tuple) noexcept {
  if (auto found = find_socket(tuple)) return *found;
  try {
    sockets_.emplace_back(tuple.server, tuple.transport);  // once per local socket
  } catch (const std::bad_alloc&) {
    return 0;
  }
  return static_cast<uint32_t>(sockets_.size() - 1);
}

void MediaEndpoint::on_client_packet(const turn::FiveTuple& tuple, turn::ClientLink& link,
                                     MutableBytes data) noexcept {
  if (data.empty()) return;
  ice::Path path{tuple.client, socket_id(tuple)};
  if (static_cast<uint8_t>(data[0]) <= 3) {  // RFC 7983: STUN
    counters_.stun_in.add();
    ice::IceRegistry::Dispatch d = registry_.handle_stun(data, path, reply_);
    if (d.agent == nullptr) return;
    if (d.outcome.reply_size != 0) {
      link.send(Bytes(reply_.data(), d.outcome.reply_size));
      counters_.stun_replies.add();
    }
    if (d.outcome.forgotten) forget_link(*d.outcome.forgotten);
    if (d.outcome.new_path && links_.find(path) == links_.end()) {
      try {
        links_.emplace(path, link.retain());  // once per path, not per packet
      } catch (const std::bad_alloc&) {
      }
    }
    if (transport::WebRtcTransport* t = transport_of(d.agent)) t->after_stun(d.outcome);
    return;
  }
  transport::WebRtcTransport* t = transport_of(registry_.find(path));
  if (t == nullptr) {
    counters_.unknown_source.add();
    return;
  }
  t->on_datagram(path, data, 0);
}

void MediaEndpoint::on_link_closed(const turn::FiveTuple& tuple) noexcept {
  forget_link({tuple.client, socket_id(tuple)});
}

turn::ClientLink* MediaEndpoint::find_link(const ice::Path& path) noexcept {
  if (last_link_ != nullptr && last_path_ == path) return last_link_;
  auto it = links_.find(path);
  if (it == links_.end()) return nullptr;
  last_path_ = path;
  last_link_ = it->second.get();
  return last_link_;
}

void MediaEndpoint::send(const ice::Path& path, Bytes packet) noexcept {
  turn::ClientLink* link = find_link(path);
  if (link == nullptr) return;
  link->send(packet);
  counters_.sent.add();
}

MutableBytes MediaEndpoint::send_buffer(const ice::Path& path) noexcept {
  turn::ClientLink* link = find_link(path);
  MutableBytes buffer = link == nullptr ? MutableBytes{} : link->send_buffer();
  return buffer.empty() ? MutableBytes(packet_) : buffer;
}

void MediaEndpoint::forget_link(const ice::Path& path) noexcept {
  last_link_ = nullptr;
  links_.erase(path);
}

}  // namespace turnd::sfu::router

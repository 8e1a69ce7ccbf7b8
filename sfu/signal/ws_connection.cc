// The WebSocket side of SignalServer: upgrade checks, connection ids, whole
// text messages to the handler, queued replies out, one frame per writeable
// callback.
#include <sys/socket.h>

#include <algorithm>
#include <string>

#include "sfu/signal/http_routes.h"
#include "sfu/signal/server_impl.h"
#include "turnd/common/log.h"

namespace turnd::sfu::signal {
namespace {

std::string header(lws* wsi, lws_token_indexes token) {
  int len = lws_hdr_total_length(wsi, token);
  if (len <= 0) return {};
  std::string value(static_cast<size_t>(len) + 1, '\0');
  if (lws_hdr_copy(wsi, value.data(), len + 1, token) < 0) return {};
  value.resize(static_cast<size_t>(len));
  return value;
}

void close_with(lws* wsi, lws_close_status status, std::string_view reason) {
  lws_close_reason(wsi, status, reinterpret_cast<unsigned char*>(const_cast<char*>(reason.data())),
                   reason.size());
}

}  // namespace

// Only /ws upgrades, and from a browser only when its page came from here.
bool SignalServer::Impl::upgrade_allowed(lws* wsi) {
  if (redirect_only(wsi)) return false;  // plain HTTP: no signalling in clear
  std::string path = header(wsi, WSI_TOKEN_GET_URI);
  if (path != kWebSocketPath) {
    LOG_DEBUG("signal", "WebSocket upgrade refused for path %s", log::printable(path).c_str());
    return false;
  }
  std::string origin = header(wsi, WSI_TOKEN_ORIGIN), host = header(wsi, WSI_TOKEN_HOST);
  if (!origin_allowed(origin, host)) {
    LOG_INFO("signal", "WebSocket from %s refused: origin %s is not https://%s",
             log::pseudonym(peer_of(wsi)).c_str(), log::printable(origin).c_str(),
             log::printable(host).c_str());
    return false;
  }
  return true;
}

int SignalServer::Impl::on_established(lws* wsi, Session& session) {
  ConnectionId id = next_id_++;
  session.id = id;
  Connection c{wsi, peer_of(wsi), Outbox(LWS_PRE, options_.max_queued)};
  c.tokens = options_.message_burst;
  c.tokens_at = std::chrono::steady_clock::now();
  SocketAddress peer = c.peer;
  connections_.emplace(id, std::move(c));
  LOG_DEBUG("signal", "connection %llu from %s", static_cast<unsigned long long>(id),
            log::pseudonym(peer).c_str());
  handler_.on_open(id, peer, page_host(header(wsi, WSI_TOKEN_HOST)));
  return 0;
}

int SignalServer::Impl::on_receive(lws* wsi, Session& session, const char* data, size_t len) {
  auto it = connections_.find(session.id);
  if (it == connections_.end()) return -1;
  Connection& c = it->second;
  if (c.dropping) return -1;
  if (lws_frame_is_binary(wsi)) {
    LOG_INFO("signal", "connection %llu closed: binary frame",
             static_cast<unsigned long long>(session.id));
    close_with(wsi, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE, "text frames only");
    return -1;
  }
  if (len > options_.max_message || c.rx.size() > options_.max_message - len) {
    LOG_INFO("signal", "connection %llu closed: a message over %zu bytes",
             static_cast<unsigned long long>(session.id), options_.max_message);
    close_with(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "message too large");
    return -1;
  }
  c.rx.append(data, len);
  if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi) != 0) return 0;
  if (!within_rate(c)) {
    counters_.flooding_closed.fetch_add(1, std::memory_order_relaxed);
    LOG_INFO("signal", "connection %llu closed: more than %.0f messages at once",
             static_cast<unsigned long long>(session.id), options_.message_burst);
    close_with(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION, "too many messages");
    return -1;
  }
  std::string message;
  message.swap(c.rx);
  handler_.on_message(session.id, std::move(message));
  return 0;
}

// A token bucket per connection: message_rate a second, message_burst at once.
bool SignalServer::Impl::within_rate(Connection& c) {
  auto now = std::chrono::steady_clock::now();
  double elapsed = std::chrono::duration<double>(now - c.tokens_at).count();
  c.tokens = std::min(options_.message_burst, c.tokens + elapsed * options_.message_rate);
  c.tokens_at = now;
  if (c.tokens < 1) return false;
  c.tokens -= 1;
  return true;
}

int SignalServer::Impl::on_ws_writeable(lws* wsi, Session& session) {
  auto it = connections_.find(session.id);
  if (it == connections_.end() || it->second.dropping) return -1;
  Connection& c = it->second;
  if (!c.outbox.empty()) {
    size_t size = c.outbox.front_size();
    int n = lws_write(wsi, reinterpret_cast<unsigned char*>(c.outbox.front_payload()), size,
                      LWS_WRITE_TEXT);
    if (n < 0 || static_cast<size_t>(n) < size) return -1;
    c.outbox.pop();
    // Also after the last message before a close: lws calls back only once
    // that frame has left, then the close follows.
    if (!c.outbox.empty() || c.close_requested) lws_callback_on_writable(wsi);
    return 0;
  }
  if (c.close_requested) {
    close_with(wsi, LWS_CLOSE_STATUS_NORMAL, "");
    return -1;
  }
  return 0;
}

void SignalServer::Impl::on_ws_closed(Session& session) {
  if (session.id == 0 || connections_.erase(session.id) == 0) return;
  LOG_DEBUG("signal", "connection %llu closed", static_cast<unsigned long long>(session.id));
  handler_.on_close(session.id);
}

// A send() or close() reaching the signal thread.
void SignalServer::Impl::deliver(const Outgoing& o) {
  auto it = connections_.find(o.id);
  if (it == connections_.end()) return;  // gone meanwhile
  Connection& c = it->second;
  if (c.dropping || c.close_requested) return;
  if (o.close) {
    c.close_requested = true;
  } else if (!c.outbox.push(o.text)) {
    LOG_WARN("signal", "connection %llu dropped: it reads nothing (%zu bytes unsent)",
             static_cast<unsigned long long>(o.id), c.outbox.queued_bytes());
    c.dropping = true;
    c.outbox.clear();
    lws_set_timeout(c.wsi, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
    return;
  }
  lws_callback_on_writable(c.wsi);
}

}  // namespace turnd::sfu::signal

#include "turnd/net/stream_connection.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "turnd/common/log.h"
#include "turnd/net/shared_port.h"
#include "turnd/net/stream_listener.h"
#include "turnd/net/web_door.h"
#include "turnd/turn/stream_framer.h"

namespace turnd::net {
namespace {

// A bridged direction stops reading when this much waits to be written, and
// resumes when it has drained to the low mark.
constexpr size_t kBridgeHigh = 256 * 1024;
constexpr size_t kBridgeLow = 64 * 1024;

// The handle an allocation keeps: the connection outlives its allocation
// (closing the connection deletes the allocation first).
class StreamLinkRef final : public turn::ClientLink {
 public:
  explicit StreamLinkRef(turn::ClientLink& connection) : connection_(connection) {}
  void send(Bytes message) noexcept override { connection_.send(message); }
  void close() noexcept override { connection_.close(); }
  std::unique_ptr<ClientLink> retain() const override {
    return std::make_unique<StreamLinkRef>(connection_);
  }

 private:
  turn::ClientLink& connection_;
};

}  // namespace

StreamConnection::StreamConnection(StreamListener& owner, EventBase& base, bufferevent* bev,
                                   turn::FiveTuple tuple, turn::ClientPacketHandler& handler,
                                   StreamFraming framing, WebDoor* web)
    : owner_(owner),
      base_(base),
      bev_(bev),
      tuple_(tuple),
      handler_(handler),
      framing_(framing),
      web_(web),
      state_(web != nullptr && framing == StreamFraming::kTurn ? State::kSniffing
                                                               : State::kFramed) {
  bufferevent_setcb(bev_, &StreamConnection::on_read, nullptr, &StreamConnection::on_event, this);
  bufferevent_enable(bev_, EV_READ | EV_WRITE);
  idle_check_ = Event::periodic(base, kIdleWithoutAllocation, [this] {
    if (state_ != State::kBridged && !handler_.has_allocation(tuple_)) close();
  });
}

StreamConnection::~StreamConnection() {
  if (bridge_ != nullptr) bufferevent_free(bridge_);
  bufferevent_free(bev_);
}

void StreamConnection::close() noexcept {
  // Deferred through the bufferevent itself: runs after the current
  // callback, and is cancelled if the connection goes away first.
  bufferevent_trigger_event(bev_, BEV_EVENT_EOF, BEV_TRIG_DEFER_CALLBACKS);
}

void StreamConnection::send(Bytes message) noexcept {
  if (state_ != State::kFramed) return;
  if (evbuffer_get_length(bufferevent_get_output(bev_)) > kMaxQueuedBytes) return;
  if (framing_ == StreamFraming::kRfc4571) {
    if (message.size() > 0xFFFF) return;
    std::byte length[2];
    store_be16(length, static_cast<uint16_t>(message.size()));
    bufferevent_write(bev_, length, sizeof(length));
  }
  bufferevent_write(bev_, message.data(), message.size());
}

std::unique_ptr<turn::ClientLink> StreamConnection::retain() const {
  return std::make_unique<StreamLinkRef>(const_cast<StreamConnection&>(*this));
}

void StreamConnection::on_read(bufferevent*, void* self) {
  static_cast<StreamConnection*>(self)->read();
}

void StreamConnection::on_event(bufferevent* bev, short events, void* self) {
  auto* c = static_cast<StreamConnection*>(self);
  if ((events & BEV_EVENT_CONNECTED) != 0 && bev == c->bev_) {
    SSL* ssl = bufferevent_openssl_get_ssl(bev);
    LOG_DEBUG("net", "%s: TLS handshake done (%s, %s%s)", log::pseudonym(c->tuple_.client).c_str(),
              ssl ? SSL_get_version(ssl) : "?", ssl ? SSL_get_cipher_name(ssl) : "?",
              ssl && SSL_session_reused(ssl) ? ", resumed" : "");
  }
  if ((events & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) == 0) return;
  if ((events & BEV_EVENT_ERROR) != 0 && c->tuple_.transport == turn::ClientTransport::kTls) {
    unsigned long error = bufferevent_get_openssl_error(bev);
    char reason[160] = "";
    if (error != 0) ERR_error_string_n(error, reason, sizeof(reason));
    LOG_DEBUG("net", "%s: TLS connection ended: %s", log::pseudonym(c->tuple_.client).c_str(),
              error != 0 ? reason : "socket error or reset");
  }
  // The web server has answered and closed: the client still gets the rest.
  if (bev == c->bridge_ && (events & BEV_EVENT_EOF) != 0 &&
      evbuffer_get_length(bufferevent_get_output(c->bev_)) > 0) {
    c->finishing_ = true;
    bufferevent_disable(c->bev_, EV_READ);
    bufferevent_setwatermark(c->bev_, EV_WRITE, 0, 0);
    return;
  }
  c->closed();
}

void StreamConnection::read() noexcept {
  switch (state_) {
    case State::kSniffing:
      return sniff();
    case State::kFramed:
      return framing_ == StreamFraming::kRfc4571 ? read_rfc4571() : read_turn();
    case State::kBridged:
      return pump(bev_, bridge_);
  }
}

// The first bytes after the TLS handshake on a port shared with the web.
void StreamConnection::sniff() noexcept {
  evbuffer* input = bufferevent_get_input(bev_);
  size_t peek = std::min<size_t>(evbuffer_get_length(input), 16);
  auto* head = reinterpret_cast<std::byte*>(evbuffer_pullup(input, static_cast<ssize_t>(peek)));
  switch (classify_first_bytes(Bytes(head, peek))) {
    case FirstBytes::kNeedMore:
      return;
    case FirstBytes::kTurn:
      LOG_DEBUG("net", "%s: STUN after the TLS handshake: TURN",
                log::pseudonym(tuple_.client).c_str());
      state_ = State::kFramed;
      owner_.sniffed(false);
      return read_turn();
    case FirstBytes::kHttp:
      owner_.sniffed(true);
      return start_bridge();
    case FirstBytes::kOther:
      LOG_DEBUG("net", "%s: neither STUN nor HTTP after the TLS handshake (first byte 0x%02x)",
                log::pseudonym(tuple_.client).c_str(), static_cast<unsigned>(head[0]));
      return closed();
  }
}

void StreamConnection::read_turn() noexcept {
  evbuffer* input = bufferevent_get_input(bev_);
  for (;;) {
    size_t available = evbuffer_get_length(input);
    if (available < 4) return;
    // The first 8 bytes give the frame's length (and the STUN cookie).
    size_t peek = std::min<size_t>(available, 8);
    auto* head = reinterpret_cast<std::byte*>(evbuffer_pullup(input, static_cast<ssize_t>(peek)));
    size_t length = 0;
    if (turn::next_frame(Bytes(head, peek), length) == turn::FrameStatus::kInvalid) {
      return closed();  // not TURN: drop the connection now
    }
    if (length > available) return;  // wait for the rest of the frame
    auto* frame =
        reinterpret_cast<std::byte*>(evbuffer_pullup(input, static_cast<ssize_t>(length)));
    handler_.on_client_packet(tuple_, *this, MutableBytes(frame, length));
    evbuffer_drain(input, length);
  }
}

// RFC 4571 §2: LENGTH (16 bits) then that many bytes of one packet.
void StreamConnection::read_rfc4571() noexcept {
  evbuffer* input = bufferevent_get_input(bev_);
  for (;;) {
    size_t available = evbuffer_get_length(input);
    if (available < 2) return;
    auto* head = reinterpret_cast<std::byte*>(evbuffer_pullup(input, 2));
    size_t length = load_be16(head);
    if (length == 0) return closed();  // never sent by a real peer
    if (2 + length > available) return;
    auto* frame =
        reinterpret_cast<std::byte*>(evbuffer_pullup(input, static_cast<ssize_t>(2 + length)));
    handler_.on_client_packet(tuple_, *this, MutableBytes(frame + 2, length));
    evbuffer_drain(input, 2 + length);
  }
}

// An HTTP client on the TURN side of a shared port: the decrypted bytes go to
// the web server over a socketpair, which it adopts as a plaintext
// connection from the real client's address.
void StreamConnection::start_bridge() noexcept {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
    return closed();
  }
  bridge_ = bufferevent_socket_new(base_.get(), pair[0], BEV_OPT_CLOSE_ON_FREE);
  if (bridge_ == nullptr) {
    ::close(pair[0]);
    ::close(pair[1]);
    return closed();
  }
  state_ = State::kBridged;
  web_->adopt(pair[1], tuple_.client, WebHandoff::kDecrypted);
  bufferevent_setcb(bev_, &StreamConnection::on_read, &StreamConnection::on_drained,
                    &StreamConnection::on_event, this);
  bufferevent_setcb(bridge_, &StreamConnection::on_bridge_read, &StreamConnection::on_drained,
                    &StreamConnection::on_event, this);
  bufferevent_enable(bridge_, EV_READ | EV_WRITE);
  pump(bev_, bridge_);
}

void StreamConnection::on_bridge_read(bufferevent*, void* self) {
  auto* c = static_cast<StreamConnection*>(self);
  c->pump(c->bridge_, c->bev_);
}

// `drained` has written down to its low mark: its source may read again.
void StreamConnection::on_drained(bufferevent* drained, void* self) {
  auto* c = static_cast<StreamConnection*>(self);
  if (c->finishing_) {
    if (drained == c->bev_ && evbuffer_get_length(bufferevent_get_output(c->bev_)) == 0) {
      c->closed();
    }
    return;
  }
  bufferevent_enable(drained == c->bev_ ? c->bridge_ : c->bev_, EV_READ);
}

void StreamConnection::pump(bufferevent* from, bufferevent* to) noexcept {
  evbuffer* out = bufferevent_get_output(to);
  evbuffer_add_buffer(out, bufferevent_get_input(from));
  if (evbuffer_get_length(out) > kBridgeHigh) {
    bufferevent_disable(from, EV_READ);
    bufferevent_setwatermark(to, EV_WRITE, kBridgeLow, 0);
  }
}

void StreamConnection::closed() noexcept {
  if (state_ == State::kFramed) handler_.on_link_closed(tuple_);
  owner_.close(this);  // deletes this
}

}  // namespace turnd::net

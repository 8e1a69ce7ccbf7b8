#include "turnd/net/stream_listener.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "turnd/common/log.h"
#include "turnd/net/tls_context.h"
#include "turnd/turn/stream_framer.h"

namespace turnd::net {

// One TCP or TLS client connection and its framing.
class StreamConnection final : public turn::ClientLink {
 public:
  // A client that does not drain its socket loses packets instead of growing
  // our memory: TURN relays datagrams, dropping is the honest answer.
  static constexpr size_t kMaxQueuedBytes = 4 << 20;

  // A connection that holds no allocation is closed after this long: a TURN
  // client allocates right after connecting (RFC 8656 §3.1), and idle
  // sockets are what a slow-connection attack is made of.
  static constexpr std::chrono::seconds kIdleWithoutAllocation{30};

  StreamConnection(StreamListener& owner, EventBase& base, bufferevent* bev, turn::FiveTuple tuple,
                   turn::ClientPacketHandler& handler, StreamFraming framing)
      : owner_(owner), bev_(bev), tuple_(tuple), handler_(handler), framing_(framing) {
    bufferevent_setcb(bev_, &StreamConnection::on_read, nullptr, &StreamConnection::on_event, this);
    bufferevent_enable(bev_, EV_READ | EV_WRITE);
    idle_check_ = Event::periodic(base, kIdleWithoutAllocation, [this] {
      if (!handler_.has_allocation(tuple_)) close();
    });
  }
  ~StreamConnection() override { bufferevent_free(bev_); }
  const turn::FiveTuple& tuple() const noexcept { return tuple_; }

  void close() noexcept override {
    // Deferred through the bufferevent itself: runs after the current
    // callback, and is cancelled if the connection goes away first.
    bufferevent_trigger_event(bev_, BEV_EVENT_EOF, BEV_TRIG_DEFER_CALLBACKS);
  }

  void send(Bytes message) noexcept override {
    if (evbuffer_get_length(bufferevent_get_output(bev_)) > kMaxQueuedBytes) return;
    if (framing_ == StreamFraming::kRfc4571) {
      if (message.size() > 0xFFFF) return;
      std::byte length[2];
      store_be16(length, static_cast<uint16_t>(message.size()));
      bufferevent_write(bev_, length, sizeof(length));
    }
    bufferevent_write(bev_, message.data(), message.size());
  }
  std::unique_ptr<ClientLink> retain() const override;

 private:
  static void on_read(bufferevent*, void* self) { static_cast<StreamConnection*>(self)->read(); }
  static void on_event(bufferevent*, short events, void* self) {
    if ((events & (BEV_EVENT_EOF | BEV_EVENT_ERROR | BEV_EVENT_TIMEOUT)) != 0) {
      static_cast<StreamConnection*>(self)->closed();
    }
  }

  void read() noexcept {
    if (framing_ == StreamFraming::kRfc4571) return read_rfc4571();
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
  void read_rfc4571() noexcept {
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

  void closed() noexcept {
    handler_.on_link_closed(tuple_);
    owner_.close(this);  // deletes this
  }

  StreamListener& owner_;
  bufferevent* bev_;
  turn::FiveTuple tuple_;
  turn::ClientPacketHandler& handler_;
  StreamFraming framing_;
  std::unique_ptr<Event> idle_check_;
};

namespace {

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

std::unique_ptr<turn::ClientLink> StreamConnection::retain() const {
  return std::make_unique<StreamLinkRef>(const_cast<StreamConnection&>(*this));
}

StreamListener::StreamListener(EventBase& base, const SocketAddress& address,
                               std::shared_ptr<const TlsContext> tls,
                               turn::ClientPacketHandler& handler, StreamFraming framing,
                               ConnectionCounter::Limits limits)
    : base_(base),
      address_(address),
      tls_(std::move(tls)),
      handler_(handler),
      framing_(framing),
      open_(limits) {
  unsigned flags =
      LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT | LEV_OPT_CLOSE_ON_EXEC;
  if (address.is_v6()) flags |= LEV_OPT_BIND_IPV6ONLY;
  listener_ =
      evconnlistener_new_bind(base.get(), &StreamListener::on_accept, this, flags, 1024,
                              address.sockaddr_ptr(), static_cast<int>(address.sockaddr_len()));
  if (listener_ == nullptr) {
    throw std::runtime_error(std::string("cannot listen on ") + (tls ? "tls " : "tcp ") +
                             address.to_string() + ": " + std::strerror(errno));
  }
  evconnlistener_set_error_cb(listener_, &StreamListener::on_accept_error);
  resume_ = Event::periodic(base, std::chrono::seconds(1), [this] {
    if (!paused_) return;
    paused_ = false;
    evconnlistener_enable(listener_);
  });
}

// accept() failed. Out of descriptors or memory the listening socket stays
// readable, and retrying at once would spin: pause for a second (the
// connection waits in the kernel's backlog meanwhile).
void StreamListener::on_accept_error(evconnlistener*, void* self) {
  auto* l = static_cast<StreamListener*>(self);
  int error = errno;
  if (error != EMFILE && error != ENFILE && error != ENOBUFS && error != ENOMEM) return;
  if (!l->paused_) {
    LOG_WARN("net", "accept on %s: %s; new connections wait a second",
             l->address_.to_string().c_str(), std::strerror(error));
  }
  l->paused_ = true;
  evconnlistener_disable(l->listener_);
}

StreamListener::~StreamListener() {
  evconnlistener_free(listener_);
  connections_.clear();
}

void StreamListener::on_accept(evconnlistener*, int fd, sockaddr* addr, int len, void* self) {
  auto client = SocketAddress::from_sockaddr(addr, static_cast<socklen_t>(len));
  if (!client) {
    ::close(fd);
    return;
  }
  static_cast<StreamListener*>(self)->accept(fd, *client);
}

void StreamListener::accept(int fd, const SocketAddress& client) noexcept {
  if (ConnectionCounter::Verdict v = open_.admit(client);
      v != ConnectionCounter::Verdict::kAdmitted) {
    ::close(fd);
    if (refused_++ % 1000 == 0) {
      LOG_WARN("net", "connection from %s to %s refused: %s (logged once per 1000)",
               log::pseudonym(client).c_str(), address_.to_string().c_str(), to_string(v));
    }
    return;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  bufferevent* bev = nullptr;
  if (tls_ != nullptr) {
    SSL* ssl = SSL_new(tls_->get());
    bev = ssl == nullptr
              ? nullptr
              : bufferevent_openssl_socket_new(base_.get(), fd, ssl, BUFFEREVENT_SSL_ACCEPTING,
                                               BEV_OPT_CLOSE_ON_FREE);
    if (bev != nullptr) bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
  } else {
    bev = bufferevent_socket_new(base_.get(), fd, BEV_OPT_CLOSE_ON_FREE);
  }
  if (bev == nullptr) {
    ::close(fd);
    open_.release(client);
    LOG_WARN("net", "cannot set up connection from %s", log::pseudonym(client).c_str());
    return;
  }
  turn::FiveTuple tuple{
      client, address_,
      tls_ != nullptr ? turn::ClientTransport::kTls : turn::ClientTransport::kTcp};
  auto connection =
      std::make_unique<StreamConnection>(*this, base_, bev, tuple, handler_, framing_);
  StreamConnection* key = connection.get();
  connections_.emplace(key, std::move(connection));
}

void StreamListener::close(StreamConnection* connection) noexcept {
  auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  open_.release(connection->tuple().client);
  connections_.erase(it);  // destroys it
}

}  // namespace turnd::net

#include "turnd/net/stream_listener.h"

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "turnd/common/log.h"
#include "turnd/net/tls_context.h"
#include "turnd/net/web_door.h"

namespace turnd::net {

// A connection on a shared port whose ClientHello has not all arrived.
// Watched edge-triggered: peeking leaves the bytes in the socket, so a
// level-triggered watch would fire again at once; each new segment is an edge.
class HelloWait {
 public:
  HelloWait(StreamListener& owner, EventBase& base, int fd, SocketAddress client)
      : owner_(owner), fd_(fd), client_(client), since_(std::chrono::steady_clock::now()) {
    event_ = event_new(base.get(), fd, EV_READ | EV_ET | EV_PERSIST, &HelloWait::on_event, this);
    timeval timeout{StreamListener::kHelloTimeout.count(), 0};
    if (event_ != nullptr) event_add(event_, &timeout);
  }
  ~HelloWait() {
    if (event_ != nullptr) event_free(event_);
    if (fd_ >= 0) ::close(fd_);
  }
  HelloWait(const HelloWait&) = delete;
  HelloWait& operator=(const HelloWait&) = delete;

  bool watching() const noexcept { return event_ != nullptr; }
  int fd() const noexcept { return fd_; }
  const SocketAddress& client() const noexcept { return client_; }
  // Overall, not per segment: a hello dribbled a byte at a time ends too.
  bool expired() const noexcept {
    return std::chrono::steady_clock::now() - since_ > StreamListener::kHelloTimeout;
  }
  int release() noexcept {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  static void on_event(int, short what, void* self) {
    auto* w = static_cast<HelloWait*>(self);
    if ((what & EV_TIMEOUT) != 0 || w->expired()) return w->owner_.hello_failed(w);
    w->owner_.hello_ready(w);
  }

  StreamListener& owner_;
  int fd_;
  SocketAddress client_;
  std::chrono::steady_clock::time_point since_;
  event* event_ = nullptr;
};

StreamListener::StreamListener(EventBase& base, const SocketAddress& address,
                               std::shared_ptr<const TlsContext> tls,
                               turn::ClientPacketHandler& handler, StreamFraming framing,
                               ConnectionCounter::Limits limits, std::optional<SharedPort> shared)
    : base_(base),
      address_(address),
      tls_(std::move(tls)),
      handler_(handler),
      framing_(framing),
      shared_(shared),
      open_(limits) {
  if (shared_ && (shared_->web == nullptr || shared_->counts == nullptr || tls_ == nullptr)) {
    shared_.reset();
  }
  unsigned flags =
      LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT | LEV_OPT_CLOSE_ON_EXEC;
  if (address.is_v6()) flags |= LEV_OPT_BIND_IPV6ONLY;
  listener_ =
      evconnlistener_new_bind(base.get(), &StreamListener::on_accept, this, flags, 1024,
                              address.sockaddr_ptr(), static_cast<int>(address.sockaddr_len()));
  if (listener_ == nullptr) {
    throw std::runtime_error(std::string("cannot listen on ") + (tls_ ? "tls " : "tcp ") +
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
  waiting_.clear();
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
  if (!shared_) return keep(fd, client, tls_ != nullptr, nullptr);
  auto wait = std::make_unique<HelloWait>(*this, base_, fd, client);
  if (!wait->watching()) return forget(wait.get());  // closes fd; `wait` is not in waiting_
  HelloWait* key = wait.get();
  waiting_.emplace(key, std::move(wait));
}

// New bytes on a shared port's waiting connection: is its first flight whole?
void StreamListener::hello_ready(HelloWait* wait) noexcept {
  ssize_t n = ::recv(wait->fd(), peeked_.data(), peeked_.size(), MSG_PEEK);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    return hello_failed(wait);
  }
  if (n < 0) return;
  Bytes head(peeked_.data(), static_cast<size_t>(n));
  ClientHello hello;
  switch (parse_client_hello(head, hello_, hello)) {
    case HelloStatus::kNeedMore:
      if (static_cast<size_t>(n) == peeked_.size()) return hello_failed(wait);
      return;  // the next segment is the next edge
    case HelloStatus::kInvalid:
      return hello_failed(wait);
    case HelloStatus::kNotTls:
      // Plain TURN over TCP on the TLS port (as coturn takes it); anything
      // else (plain HTTP to an HTTPS port, say) is closed.
      switch (classify_first_bytes(head)) {
        case FirstBytes::kNeedMore:
          return;
        case FirstBytes::kTurn:
          shared_->counts->turn.add();
          keep(wait->release(), wait->client(), false, nullptr);
          return forget(wait);
        default:
          return hello_failed(wait);
      }
    case HelloStatus::kComplete:
      break;
  }
  switch (route_hello(hello, shared_->names)) {
    case HelloRoute::kWeb: {
      shared_->counts->web.add();
      SocketAddress client = wait->client();
      int fd = wait->release();
      forget(wait);
      open_.release(client);  // the web server counts it from now on
      shared_->web->adopt(fd, client, WebHandoff::kTls);
      return;
    }
    case HelloRoute::kTurn:
      shared_->counts->turn.add();
      keep(wait->release(), wait->client(), true, nullptr);
      return forget(wait);
    case HelloRoute::kAfterHandshake:  // counted by sniffed()
      keep(wait->release(), wait->client(), true, shared_->web);
      return forget(wait);
  }
}

void StreamListener::hello_failed(HelloWait* wait) noexcept {
  shared_->counts->unrecognised.add();
  open_.release(wait->client());
  forget(wait);  // closes the socket
}

void StreamListener::forget(HelloWait* wait) noexcept {
  if (auto it = waiting_.find(wait); it != waiting_.end()) waiting_.erase(it);
}

// A connection that stays here: TURN (or ICE-TCP) framing, over TLS or not;
// `sniff_for` not null: the first bytes after the handshake may still send
// it to that web server.
void StreamListener::keep(int fd, const SocketAddress& client, bool tls,
                          WebDoor* sniff_for) noexcept {
  bufferevent* bev = nullptr;
  if (tls) {
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
  turn::FiveTuple tuple{client, address_,
                        tls ? turn::ClientTransport::kTls : turn::ClientTransport::kTcp};
  auto connection =
      std::make_unique<StreamConnection>(*this, base_, bev, tuple, handler_, framing_, sniff_for);
  StreamConnection* key = connection.get();
  connections_.emplace(key, std::move(connection));
}

void StreamListener::sniffed(bool web) noexcept {
  (web ? shared_->counts->web_decrypted : shared_->counts->turn).add();
}

void StreamListener::close(StreamConnection* connection) noexcept {
  auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  if (shared_ && connection->sniffing()) shared_->counts->unrecognised.add();
  open_.release(connection->tuple().client);
  connections_.erase(it);  // destroys it
}

}  // namespace turnd::net

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
#include "turnd/net/proxy_header.h"
#include "turnd/net/tls_context.h"
#include "turnd/net/web_door.h"

namespace turnd::net {

// A connection whose first bytes (PROXY header, ClientHello) have not all
// arrived. Watched edge-triggered: peeking leaves the bytes in the socket, so
// a level-triggered watch would fire again at once; each new segment is an
// edge.
class PendingConnection {
 public:
  enum class Phase : uint8_t {
    kProxyHeader,  // from a trusted proxy: its header comes first
    kFirstBytes,   // a shared port: the whole ClientHello (TLS) or the first bytes decide
  };

  PendingConnection(StreamListener& owner, EventBase& base, int fd, SocketAddress client,
                    Phase phase)
      : owner_(owner),
        fd_(fd),
        client_(client),
        phase_(phase),
        since_(std::chrono::steady_clock::now()) {
    event_ =
        event_new(base.get(), fd, EV_READ | EV_ET | EV_PERSIST, &PendingConnection::on_event, this);
    timeval timeout{StreamListener::kFirstBytesTimeout.count(), 0};
    if (event_ != nullptr) event_add(event_, &timeout);
  }
  ~PendingConnection() {
    if (event_ != nullptr) event_free(event_);
    if (fd_ >= 0) ::close(fd_);
  }
  PendingConnection(const PendingConnection&) = delete;
  PendingConnection& operator=(const PendingConnection&) = delete;

  bool watching() const noexcept { return event_ != nullptr; }
  int fd() const noexcept { return fd_; }
  // The client: the peer address, or the one a PROXY header named.
  const SocketAddress& client() const noexcept { return client_; }
  Phase phase() const noexcept { return phase_; }
  bool admitted() const noexcept { return admitted_; }  // counted in the listener's limits
  void proxied(const SocketAddress& client, Phase next) noexcept {
    client_ = client;
    phase_ = next;
  }
  void set_admitted() noexcept { admitted_ = true; }
  int release() noexcept {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  static void on_event(int, short what, void* self) {
    auto* p = static_cast<PendingConnection*>(self);
    // Overall, not per segment: bytes dribbled one at a time end too.
    bool late = std::chrono::steady_clock::now() - p->since_ > StreamListener::kFirstBytesTimeout;
    if ((what & EV_TIMEOUT) != 0 || late) return p->owner_.give_up(p);
    p->owner_.readable(p);
  }

  StreamListener& owner_;
  int fd_;
  SocketAddress client_;
  Phase phase_;
  bool admitted_ = false;
  std::chrono::steady_clock::time_point since_;
  event* event_ = nullptr;
};

StreamListener::StreamListener(EventBase& base, const SocketAddress& address,
                               std::shared_ptr<const TlsContext> tls,
                               turn::ClientPacketHandler& handler, StreamOptions options)
    : base_(base),
      address_(address),
      tls_(std::move(tls)),
      handler_(handler),
      options_(std::move(options)),
      open_(options_.limits) {
  if (options_.shared && options_.shared->web == nullptr) options_.shared.reset();
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
  pending_.clear();
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

void StreamListener::count(Counter ListenerCounts::*which) noexcept {
  if (options_.counts != nullptr) (options_.counts->*which).add();
}

bool StreamListener::admit(const SocketAddress& client) noexcept {
  ConnectionCounter::Verdict v = open_.admit(client);
  if (v == ConnectionCounter::Verdict::kAdmitted) return true;
  if (refused_++ % 1000 == 0) {
    LOG_WARN("net", "connection from %s to %s refused: %s (logged once per 1000)",
             log::pseudonym(client).c_str(), address_.to_string().c_str(), to_string(v));
  }
  return false;
}

bool StreamListener::trusted_proxy(const SocketAddress& source) const noexcept {
  for (const IpRange& range : options_.proxy_from) {
    if (range.contains(source)) return true;
  }
  return false;
}

void StreamListener::accept(int fd, const SocketAddress& client) noexcept {
  using Phase = PendingConnection::Phase;
  Phase phase = Phase::kFirstBytes;
  if (!options_.proxy_from.empty()) {
    if (!trusted_proxy(client)) {
      ::close(fd);
      count(&ListenerCounts::proxy_refused);
      if (refused_++ % 1000 == 0) {
        LOG_WARN("net",
                 "connection from %s to %s refused: not a proxy-protocol-from source "
                 "(logged once per 1000)",
                 log::pseudonym(client).c_str(), address_.to_string().c_str());
      }
      return;
    }
    phase = Phase::kProxyHeader;  // the limits apply to the client it names
  } else if (!admit(client)) {
    ::close(fd);
    return;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (phase == Phase::kFirstBytes && !options_.shared) {
    return keep(fd, client, tls_ != nullptr, nullptr);
  }
  if (phase == Phase::kFirstBytes && options_.shared->web_only) {
    open_.release(client);
    count(&ListenerCounts::web);
    options_.shared->web->adopt(fd, client, options_.shared->handoff);
    return;
  }
  auto pending = std::make_unique<PendingConnection>(*this, base_, fd, client, phase);
  if (phase == Phase::kFirstBytes) pending->set_admitted();
  if (!pending->watching()) {
    if (pending->admitted()) open_.release(client);
    return;  // `pending` closes the socket
  }
  PendingConnection* key = pending.get();
  pending_.emplace(key, std::move(pending));
}

void StreamListener::readable(PendingConnection* pending) noexcept {
  if (pending->phase() == PendingConnection::Phase::kProxyHeader) {
    read_proxy_header(pending);
  } else {
    read_client_hello(pending);
  }
}

// The PROXY header from a trusted load balancer: consumed, and its source is
// the client from now on (v2 LOCAL and v1 UNKNOWN: the balancer itself).
void StreamListener::read_proxy_header(PendingConnection* pending) noexcept {
  ssize_t n = ::recv(pending->fd(), peeked_.data(), kMaxProxyHeader, MSG_PEEK);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    return give_up(pending);
  }
  if (n < 0) return;
  ProxyHeader header;
  switch (parse_proxy_header(Bytes(peeked_.data(), static_cast<size_t>(n)), header)) {
    case ProxyStatus::kNeedMore:
      return;
    case ProxyStatus::kInvalid:
      return give_up(pending);
    case ProxyStatus::kComplete:
      break;
  }
  if (::recv(pending->fd(), peeked_.data(), header.length, 0) !=
      static_cast<ssize_t>(header.length)) {
    return give_up(pending);
  }
  SocketAddress client = header.source.empty() ? pending->client() : header.source;
  if (!admit(client)) return give_up(pending);
  pending->set_admitted();
  pending->proxied(client, PendingConnection::Phase::kFirstBytes);
  if (!options_.shared) {
    keep(pending->release(), client, tls_ != nullptr, nullptr);
    return forget(pending);
  }
  if (options_.shared->web_only) return to_web(pending);
  // The ClientHello may have come with the header: no new edge will say so.
  read_client_hello(pending);
}

// New bytes on a shared port's waiting connection: is its first flight whole?
void StreamListener::read_client_hello(PendingConnection* pending) noexcept {
  ssize_t n = ::recv(pending->fd(), peeked_.data(), peeked_.size(), MSG_PEEK);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
    return give_up(pending);
  }
  if (n < 0) return;
  Bytes head(peeked_.data(), static_cast<size_t>(n));
  if (tls_ == nullptr) return read_first_bytes(pending, head);
  ClientHello hello;
  switch (parse_client_hello(head, hello_, hello)) {
    case HelloStatus::kNeedMore:
      if (static_cast<size_t>(n) == peeked_.size()) return give_up(pending);
      return;  // the next segment is the next edge
    case HelloStatus::kInvalid:
      return give_up(pending);
    case HelloStatus::kNotTls:
      // Plain TURN over TCP on the TLS port (as coturn takes it); anything
      // else (plain HTTP to an HTTPS port, say) is closed.
      switch (classify_first_bytes(head)) {
        case FirstBytes::kNeedMore:
          return;
        case FirstBytes::kTurn:
          count(&ListenerCounts::turn);
          keep(pending->release(), pending->client(), false, nullptr);
          return forget(pending);
        default:
          return give_up(pending);
      }
    case HelloStatus::kComplete:
      break;
  }
  HelloRoute route = route_hello(hello, options_.shared->names);
  LOG_DEBUG("net", "%s: ClientHello for '%s', ALPN [%s] -> %s",
            log::pseudonym(pending->client()).c_str(), log::printable(hello.server_name).c_str(),
            log::printable(as_string(hello.alpn_list)).c_str(),
            route == HelloRoute::kWeb    ? "web"
            : route == HelloRoute::kTurn ? "TURN"
                                         : "the first bytes after the handshake");
  switch (route) {
    case HelloRoute::kWeb:
      return to_web(pending);
    case HelloRoute::kTurn:
      count(&ListenerCounts::turn);
      keep(pending->release(), pending->client(), true, nullptr);
      return forget(pending);
    case HelloRoute::kAfterHandshake:  // counted by sniffed()
      keep(pending->release(), pending->client(), true, options_.shared->web);
      return forget(pending);
  }
}

// A plain TCP port shared with the web: STUN is TURN over TCP, an HTTP
// request is redirected to https by the web server.
void StreamListener::read_first_bytes(PendingConnection* pending, Bytes head) noexcept {
  switch (classify_first_bytes(head)) {
    case FirstBytes::kNeedMore:
      if (head.size() == peeked_.size()) give_up(pending);
      return;
    case FirstBytes::kTurn:
      count(&ListenerCounts::turn);
      keep(pending->release(), pending->client(), false, nullptr);
      return forget(pending);
    case FirstBytes::kHttp:
      return to_web(pending);
    case FirstBytes::kOther:
      return give_up(pending);
  }
}

// Untouched (only peeked) to the web server, which counts it from now on.
void StreamListener::to_web(PendingConnection* pending) noexcept {
  count(&ListenerCounts::web);
  SocketAddress client = pending->client();
  int fd = pending->release();
  forget(pending);
  open_.release(client);
  options_.shared->web->adopt(fd, client, options_.shared->handoff);
}

void StreamListener::give_up(PendingConnection* pending) noexcept {
  LOG_DEBUG(
      "net", "%s: closed before its %s was read whole", log::pseudonym(pending->client()).c_str(),
      pending->phase() == PendingConnection::Phase::kProxyHeader ? "PROXY header" : "ClientHello");
  if (pending->phase() == PendingConnection::Phase::kProxyHeader) {
    count(&ListenerCounts::proxy_refused);
  } else {
    count(&ListenerCounts::unrecognised);
  }
  if (pending->admitted()) open_.release(pending->client());
  forget(pending);  // closes the socket
}

void StreamListener::forget(PendingConnection* pending) noexcept {
  if (auto it = pending_.find(pending); it != pending_.end()) pending_.erase(it);
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
  auto connection = std::make_unique<StreamConnection>(*this, base_, bev, tuple, handler_,
                                                       options_.framing, sniff_for);
  StreamConnection* key = connection.get();
  connections_.emplace(key, std::move(connection));
}

void StreamListener::sniffed(bool web) noexcept {
  count(web ? &ListenerCounts::web_decrypted : &ListenerCounts::turn);
}

void StreamListener::close(StreamConnection* connection) noexcept {
  auto it = connections_.find(connection);
  if (it == connections_.end()) return;
  if (connection->sniffing()) count(&ListenerCounts::unrecognised);
  open_.release(connection->tuple().client);
  connections_.erase(it);  // destroys it
}

}  // namespace turnd::net

#include "sfu/signal/signal_server.h"

#include <openssl/ssl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>

#include "sfu/signal/http_routes.h"
#include "sfu/signal/server_impl.h"
#include "sfu/signal/tls_files.h"
#include "turnd/common/log.h"

namespace turnd::sfu::signal {
namespace {

constexpr size_t kRxChunk = size_t{16} * 1024;  // lws hands a message over in pieces of this size

// libwebsockets' own errors go to turnd's log; its warnings (a client's
// failed TLS handshake and the like) only at debug level.
void lws_log(int level, const char* line) {
  std::string_view text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  // lws may quote what a client sent: one safe line.
  if (level & LLL_ERR) {
    LOG_WARN("signal", "libwebsockets: %s", log::printable(text, 300).c_str());
  } else {
    LOG_DEBUG("signal", "libwebsockets: %s", log::printable(text, 300).c_str());
  }
}

std::filesystem::path canonical_web_root(const std::filesystem::path& root) {
  std::error_code ec;
  auto canonical = std::filesystem::canonical(root, ec);
  if (ec || !std::filesystem::is_directory(canonical, ec)) {
    throw std::runtime_error("web root " + root.string() + " is not a readable directory" +
                             (ec ? ": " + ec.message() : std::string()));
  }
  if (!std::filesystem::is_regular_file(canonical / kIndexFile, ec)) {
    throw std::runtime_error("web root " + root.string() + " has no " + std::string(kIndexFile));
  }
  return canonical;
}

}  // namespace

// --- Public interface ----------------------------------------------------------

SignalServer::SignalServer(SignalOptions options, SignalHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(options), handler)) {}

SignalServer::~SignalServer() = default;

void SignalServer::start() {
  impl_->start();
}

void SignalServer::stop() {
  impl_->stop();
}

void SignalServer::send(ConnectionId connection, std::string text) {
  impl_->enqueue({connection, std::move(text), false});
}

void SignalServer::close(ConnectionId connection) {
  impl_->enqueue({connection, {}, true});
}

void SignalServer::adopt(int fd, const SocketAddress& client, net::WebHandoff kind) noexcept {
  try {
    impl_->enqueue(Handoff{fd, client, kind});
  } catch (...) {  // out of memory: the client tries again
    ::close(fd);
  }
}

const SocketAddress& SignalServer::local_address() const noexcept {
  return impl_->local_address();
}

const SignalCounters& SignalServer::counters() const noexcept {
  return impl_->counters();
}

// --- Set-up --------------------------------------------------------------------

SignalServer::Impl::Impl(SignalOptions options, SignalHandler& handler)
    : options_(std::move(options)),
      handler_(handler),
      web_root_(canonical_web_root(options_.web_root)),
      local_(options_.listen) {
  check_tls_files(options_.cert_file, options_.key_file, options_.cipher_list);
  if (!options_.accepted_elsewhere) {
    listener_.emplace(options_.listen);
    local_ = listener_->local();
  }
  open_ = ConnectionCounter(options_.connection_limits);
  static std::once_flag log_once;
  std::call_once(log_once, [] { lws_set_log_level(LLL_ERR | LLL_WARN, lws_log); });

  for (const HttpHeader& h : security_headers()) {
    headers_.push_back({nullptr, nullptr, h.name, h.value});
  }
  for (size_t i = 0; i + 1 < headers_.size(); ++i) headers_[i].next = &headers_[i + 1];

  // A WebSocket quiet for ping_interval_s is pinged, and closed when no pong
  // follows within ping_timeout_s (at least 1 s); interval 0: no pings.
  if (options_.ping_interval_s > 0) {
    unsigned ping = std::min(options_.ping_interval_s, 30000u);
    retry_.secs_since_valid_ping = static_cast<uint16_t>(ping);
    retry_.secs_since_valid_hangup =
        static_cast<uint16_t>(ping + std::clamp(options_.ping_timeout_s, 1u, 30000u));
  }

  protocols_[0].name = kProtocolName;
  protocols_[0].callback = &Impl::callback;
  protocols_[0].per_session_data_size = sizeof(Session);
  protocols_[0].rx_buffer_size = kRxChunk;

  lws_context_creation_info ci{};
  ci.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT |
               LWS_SERVER_OPTION_VALIDATE_UTF8;  // lws reads this one from the context
  ci.port = CONTEXT_PORT_NO_LISTEN;
  ci.gid = -1;
  ci.uid = -1;
  ci.user = this;
  ci.server_string = "turnd";
  ci.alpn = "http/1.1";
  ci.fd_limit_per_thread = options_.connection_limits.total + 16;  // + listener, wake pipe
  context_ = lws_create_context(&ci);
  if (context_ == nullptr) throw std::runtime_error("signalling: cannot create the lws context");

  // The vhost: TLS on the adopted listener's connections, HTTP/1.1 only.
  lws_context_creation_info vi{};
  vi.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
  vi.port = CONTEXT_PORT_NO_LISTEN_SERVER;
  vi.vhost_name = "turnd-signal";
  vi.protocols = protocols_;
  vi.user = this;
  vi.ssl_cert_filepath = options_.cert_file.c_str();
  vi.ssl_private_key_filepath = options_.key_file.c_str();
  vi.ssl_cipher_list = options_.cipher_list.empty() ? nullptr : options_.cipher_list.c_str();
  vi.alpn = "http/1.1";
  vi.headers = headers_.empty() ? nullptr : &headers_[0];
  vi.retry_and_idle_policy = &retry_;
  vi.keepalive_timeout = 10;
  vi.timeout_secs = 10;
  vhost_ = lws_create_vhost(context_, &vi);
  lws_sock_file_fd_type listen_fd{};
  if (listener_) listen_fd.filefd = listener_->fd();
  if (vhost_ == nullptr ||
      (listener_ && lws_adopt_descriptor_vhost(vhost_, LWS_ADOPT_RAW_FILE_DESC, listen_fd,
                                               kProtocolName, nullptr) == nullptr)) {
    lws_context_destroy(context_);
    throw std::runtime_error("signalling: cannot set up TLS on " + local_.to_string() +
                             " (certificate " + options_.cert_file + ")");
  }
  if (listener_) listen_fd_ = listener_->release();  // lws closes it with the context
  wake_ = context_;
  LOG_INFO("signal", "HTTPS and WebSocket (/ws) on %s%s, web root %s", local_.to_string().c_str(),
           options_.accepted_elsewhere ? " (accepted by TURN's workers)" : "", web_root_.c_str());
}

SignalServer::Impl::~Impl() {
  stop();
  if (context_ != nullptr) {  // never started
    {
      std::lock_guard lock(mutex_);
      wake_ = nullptr;
      for (const Handoff& h : handoffs_) ::close(h.fd);
      handoffs_.clear();
    }
    lws_context_destroy(context_);
  }
}

void SignalServer::Impl::configure_tls(SSL_CTX* ctx) {
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
}

// --- The service thread --------------------------------------------------------

void SignalServer::Impl::start() {
  if (thread_.joinable() || context_ == nullptr) return;
  thread_ = std::thread([this] { run(); });
}

void SignalServer::Impl::stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  {
    std::lock_guard lock(mutex_);
    if (wake_ != nullptr) lws_cancel_service(wake_);
  }
  thread_.join();
}

void SignalServer::Impl::run() {
  while (!stopping_) {
    if (lws_service(context_, 0) < 0) {
      LOG_ERROR("signal", "the service loop failed; the signalling server stops");
      break;
    }
  }
  {
    std::lock_guard lock(mutex_);
    wake_ = nullptr;
    pending_.clear();
    for (const Handoff& h : handoffs_) ::close(h.fd);
    handoffs_.clear();
  }
  lws_context_destroy(context_);  // closes every connection: on_close for each
  context_ = nullptr;
  connections_.clear();
  LOG_INFO("signal", "stopped");
}

void SignalServer::Impl::enqueue(Outgoing outgoing) {
  std::lock_guard lock(mutex_);
  if (wake_ == nullptr) return;
  pending_.push_back(std::move(outgoing));
  lws_cancel_service(wake_);
}

void SignalServer::Impl::enqueue(Handoff handoff) {
  std::lock_guard lock(mutex_);
  if (wake_ == nullptr) {
    ::close(handoff.fd);
    return;
  }
  handoffs_.push_back(handoff);
  lws_cancel_service(wake_);
}

void SignalServer::Impl::drain() {
  std::vector<Outgoing> batch;
  std::vector<Handoff> handoffs;
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
    handoffs.swap(handoffs_);
  }
  for (const Handoff& h : handoffs) take(h.fd, h.client, h.kind);
  for (const Outgoing& o : batch) deliver(o);
}

// The listening socket is readable: hand every pending connection to the TLS
// vhost. Out of descriptors, stop polling it for a second instead of spinning.
void SignalServer::Impl::accept_pending(lws* listener) {
  for (int i = 0; i < 64; ++i) {
    auto accepted = accept_connection(listen_fd_);
    if (!accepted) {
      int error = errno;
      if (error == EAGAIN || error == EWOULDBLOCK || error == EINTR || error == ECONNABORTED) {
        return;
      }
      LOG_WARN("signal", "accept failed: %s; pausing new connections for 1 s",
               std::strerror(error));
      lws_rx_flow_control(listener, 0);
      lws_set_timer_usecs(listener, LWS_US_PER_SEC);
      return;
    }
    take(accepted->fd, accepted->peer, net::WebHandoff::kTls);
  }
}

// A new connection, from our own listener or a shared port: counted against
// the limits, then libwebsockets serves it (TLS unless turnd has decrypted
// it already, or it is plain HTTP to be redirected).
void SignalServer::Impl::take(int fd, const SocketAddress& peer, net::WebHandoff kind) {
  bool tls = kind == net::WebHandoff::kTls;
  ConnectionCounter::Verdict verdict = open_.admit(peer);
  if (verdict != ConnectionCounter::Verdict::kAdmitted) {
    ::close(fd);
    if (counters_.refused_connections.fetch_add(1, std::memory_order_relaxed) % 1000 == 0) {
      LOG_WARN("signal", "connection from %s refused: %s (%zu open; logged once per 1000)",
               log::pseudonym(peer).c_str(), to_string(verdict), open_.total());
    }
    return;
  }
  unsigned type = LWS_ADOPT_SOCKET | LWS_ADOPT_HTTP | (tls ? LWS_ADOPT_ALLOW_SSL : 0);
  lws_sock_file_fd_type socket{};
  socket.sockfd = fd;
  lws* wsi = lws_adopt_descriptor_vhost(vhost_, static_cast<lws_adoption_type>(type), socket,
                                        nullptr, nullptr);
  if (wsi == nullptr) {  // lws has closed the socket already
    open_.release(peer);
    LOG_DEBUG("signal", "connection from %s not taken by libwebsockets",
              log::pseudonym(peer).c_str());
    return;
  }
  adopted_[wsi] = Adopted{peer, kind == net::WebHandoff::kPlainHttp};
}

bool SignalServer::Impl::redirect_only(lws* wsi) const {
  auto it = adopted_.find(wsi);
  return it != adopted_.end() && it->second.redirect_only;
}

SocketAddress SignalServer::Impl::peer_of(lws* wsi) const {
  auto it = adopted_.find(wsi);
  return it == adopted_.end() ? SocketAddress{} : it->second.peer;
}

// Every adopted connection, HTTP or WebSocket, ends here once.
void SignalServer::Impl::forget_connection(lws* wsi) {
  auto it = adopted_.find(wsi);
  if (it == adopted_.end()) return;  // the listener, or never counted
  open_.release(it->second.peer);
  adopted_.erase(it);
}

// --- Callback dispatch -----------------------------------------------------------

int SignalServer::Impl::callback(lws* wsi, lws_callback_reasons reason, void* user, void* in,
                                 size_t len) {
  auto* self = static_cast<Impl*>(lws_context_user(lws_get_context(wsi)));
  if (self == nullptr) return lws_callback_http_dummy(wsi, reason, user, in, len);
  if (reason == LWS_CALLBACK_OPENSSL_LOAD_EXTRA_SERVER_VERIFY_CERTS) {
    self->configure_tls(static_cast<SSL_CTX*>(user));  // here `user` is the vhost's SSL_CTX
    return 0;
  }
  return self->dispatch(wsi, reason, static_cast<Session*>(user), in, len);
}

int SignalServer::Impl::dispatch(lws* wsi, lws_callback_reasons reason, Session* session, void* in,
                                 size_t len) {
  switch (reason) {
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
      drain();
      return 0;
    case LWS_CALLBACK_RAW_RX_FILE:
      accept_pending(wsi);
      return 0;
    case LWS_CALLBACK_TIMER:
      lws_rx_flow_control(wsi, 1);  // only the listener sets a timer
      return 0;
    case LWS_CALLBACK_HTTP:
      return on_http(wsi, std::string_view(static_cast<const char*>(in), len));
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
      return upgrade_allowed(wsi) ? 0 : 1;
    case LWS_CALLBACK_ESTABLISHED:
      return on_established(wsi, *session);
    case LWS_CALLBACK_RECEIVE:
      return on_receive(wsi, *session, static_cast<const char*>(in), len);
    case LWS_CALLBACK_SERVER_WRITEABLE:
      return on_ws_writeable(wsi, *session);
    case LWS_CALLBACK_CLOSED:
      on_ws_closed(*session);
      return 0;
    case LWS_CALLBACK_WSI_DESTROY:
      forget_connection(wsi);
      return 0;
    default:
      return lws_callback_http_dummy(wsi, reason, session, in, len);
  }
}

}  // namespace turnd::sfu::signal

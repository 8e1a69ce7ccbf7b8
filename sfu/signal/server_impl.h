// SignalServer's insides, shared by signal_server.cc (lifecycle, thread,
// cross-thread queue, callback dispatch), ws_connection.cc (the WebSocket)
// and http_responder.cc (files and fixed replies). Everything below `Signal
// thread only` is touched by the service thread alone.
#pragma once

#include <libwebsockets.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "sfu/signal/listen_socket.h"
#include "sfu/signal/outbox.h"
#include "sfu/signal/signal_server.h"

namespace turnd::sfu::signal {

inline constexpr const char* kProtocolName = "turnd-signal";

// libwebsockets allocates one, zeroed, for every connection (and for the
// adopted listening socket): plain data only.
struct Session {
  ConnectionId id;  // a WebSocket's id; 0 before the upgrade and for HTTP
};

// A WebSocket connection.
struct Connection {
  lws* wsi = nullptr;
  SocketAddress peer;
  Outbox outbox;
  std::string rx;     // a message arriving in fragments
  double tokens = 0;  // messages it may send now (message_rate, message_burst)
  std::chrono::steady_clock::time_point tokens_at{};
  bool close_requested = false;  // close() was called: close once the outbox is empty
  bool dropping = false;         // being killed: write nothing more
};

// A connection from a port shared with TURN, waiting for the service loop.
struct Handoff {
  int fd = -1;
  SocketAddress client;
  net::WebHandoff kind = net::WebHandoff::kTls;
};

// A send() or close() from any thread, waiting for the service loop.
struct Outgoing {
  ConnectionId id = 0;
  std::string text;
  bool close = false;
};

class SignalServer::Impl {
 public:
  Impl(SignalOptions options, SignalHandler& handler);
  ~Impl();

  void start();
  void stop();
  void enqueue(Outgoing outgoing);
  void enqueue(Handoff handoff);
  const SocketAddress& local_address() const noexcept { return local_; }
  const SignalCounters& counters() const noexcept { return counters_; }

  static int callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len);

 private:
  int dispatch(lws* wsi, lws_callback_reasons reason, Session* session, void* in, size_t len);
  void run();
  void drain();
  void accept_pending(lws* listener);
  void take(int fd, const SocketAddress& peer, net::WebHandoff kind);
  bool redirect_only(lws* wsi) const;
  int redirect_to_https(lws* wsi, std::string_view path);
  SocketAddress peer_of(lws* wsi) const;
  void forget_connection(lws* wsi);
  void configure_tls(SSL_CTX* ctx);

  // ws_connection.cc
  bool upgrade_allowed(lws* wsi);
  int on_established(lws* wsi, Session& session);
  int on_receive(lws* wsi, Session& session, const char* data, size_t len);
  bool within_rate(Connection& c);
  int on_ws_writeable(lws* wsi, Session& session);
  void on_ws_closed(Session& session);
  void deliver(const Outgoing& outgoing);

  // http_responder.cc
  int on_http(lws* wsi, std::string_view path);
  int serve_file(lws* wsi, const std::filesystem::path& file, std::string_view content_type,
                 const char* cache_control, bool in_web_root);
  int serve_document(lws* wsi, const std::filesystem::path& file, const char* what);
  int reply_text(lws* wsi, unsigned status, const char* body, bool close);

  SignalOptions options_;
  SignalHandler& handler_;
  std::filesystem::path web_root_;        // canonical
  std::optional<ListenSocket> listener_;  // none on a shared port
  int listen_fd_ = -1;                    // owned by lws once adopted
  SocketAddress local_;
  std::vector<lws_protocol_vhost_options> headers_;
  lws_retry_bo_t retry_{};
  lws_protocols protocols_[2]{};
  lws_context* context_ = nullptr;  // destroyed by the service thread, or ~Impl if never started
  lws_vhost* vhost_ = nullptr;
  std::thread thread_;
  std::atomic<bool> stopping_{false};

  std::mutex mutex_;  // guards the three below
  std::vector<Outgoing> pending_;
  std::vector<Handoff> handoffs_;
  lws_context* wake_ = nullptr;  // context_ while send() may wake it

  SignalCounters counters_;

  // Signal thread only.
  ConnectionCounter open_;  // every adopted connection
  struct Adopted {
    SocketAddress peer;
    bool redirect_only = false;  // plain HTTP: every request is sent to https
  };
  std::unordered_map<lws*, Adopted> adopted_;  // ... by its wsi, until WSI_DESTROY
  std::unordered_map<ConnectionId, Connection> connections_;
  ConnectionId next_id_ = 1;
};

}  // namespace turnd::sfu::signal

#include "turnd/server/daemon.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "db/rooms.h"
#include "turnd/common/log.h"
#include "turnd/config/describe.h"
#include "turnd/net/http_admin.h"
#include "turnd/net/port_probe.h"
#include "turnd/server/prometheus.h"
#include "turnd/server/reload.h"
#include "turnd/server/session_log_writer.h"
#include "turnd/server/sfu_service.h"
#include "turnd/server/shared_state.h"
#include "turnd/server/systemd_notify.h"
#include "turnd/server/worker.h"

namespace turnd::server {
namespace {

void log_startup(const SharedState& s, size_t workers) {
  const config::Config& c = s.config;
  LOG_INFO("main", "turnd %s: %zu worker(s)", TURND_VERSION, workers);
  LOG_INFO("main", "relaying from ipv4 %s ipv6 %s, ports %u-%u",
           s.relay_plan.ipv4.empty() ? "off" : s.relay_plan.ipv4.ip_string().c_str(),
           s.relay_plan.ipv6.empty() ? "off" : s.relay_plan.ipv6.ip_string().c_str(), c.min_port,
           c.max_port);
  for (const std::string& line : config::describe(c)) LOG_INFO("config", "%s", line.c_str());
  if (sfu_disabled_reason(c).empty() && config::web_shares_tls_port(c)) {
    LOG_INFO("main", "the web and TURN over TLS share port %u", c.tls_listening_port);
  }
  if (c.proxy_protocol_tcp || c.proxy_protocol_tls || c.proxy_protocol_web) {
    LOG_INFO("main", "PROXY protocol on%s%s%s, from %zu source range(s) only",
             c.proxy_protocol_tcp ? " tcp" : "", c.proxy_protocol_tls ? " tls" : "",
             c.proxy_protocol_web ? " web" : "", c.proxy_protocol_from.size());
  }
  if (c.database.empty()) {
    LOG_INFO("main",
             "no database configured: rooms, conferences and session logs are off; "
             "TURN uses the config file's users and secrets");
  }
}

// The rooms of the store into the SFU's cache (at start, on NOTIFY rooms).
void load_rooms(const config::Config& c, SfuService& sfu) {
  try {
    db::Database database(c.database, "turnd-rooms", db::kDaemonTimeouts);
    std::vector<db::Room> rooms = db::list_rooms(database);
    LOG_INFO("sfu", "%zu room(s) loaded from the database", rooms.size());
    sfu.replace_rooms(std::move(rooms));
  } catch (const std::exception& e) {
    LOG_ERROR("sfu", "cannot read the rooms (the cached ones stay): %s", e.what());
  }
}

// The secret browsers' TURN credentials are made with: the process's own
// (SharedState::sfu_secret), which TURN accepts for the SFU as the only
// peer; none when TURN takes no credentials at all.
std::string turn_secret_for_browsers(const SharedState& s) {
  if (!s.config.use_auth_secret && !s.config.lt_cred_mech) return {};
  return s.sfu_secret;
}

void check_ports_free(const SharedState& s) {
  const config::Config& c = s.config;
  for (const SocketAddress& ip : s.listen_addresses) {
    try {
      if (!c.no_udp)
        net::ensure_port_free(ip.with_port(c.listening_port), net::ProbeProtocol::kUdp);
      if (!c.no_tcp)
        net::ensure_port_free(ip.with_port(c.listening_port), net::ProbeProtocol::kTcp);
      if (s.tls)
        net::ensure_port_free(ip.with_port(c.tls_listening_port), net::ProbeProtocol::kTcp);
    } catch (const std::runtime_error&) {
      if (!(s.wildcard_listen && ip.is_v6())) throw;
    }
  }
}

class PidFile {
 public:
  explicit PidFile(std::string path) : path_(std::move(path)) {
    if (path_.empty()) return;
    std::ofstream(path_) << ::getpid() << "\n";
  }
  ~PidFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }

 private:
  std::string path_;
};

// The main thread's duties while workers relay: signals, systemd's
// watchdog and status line.
class Supervisor {
 public:
  Supervisor(SharedState& shared, std::vector<std::unique_ptr<Worker>>& workers,
             const SessionLogWriter* session_log, SfuService* sfu, ConfigLoader loader)
      : shared_(shared),
        workers_(workers),
        session_log_(session_log),
        sfu_(sfu),
        loader_(std::move(loader)) {}

  // Any thread: the store says these tables changed (or "reconnected").
  void post_store_change(const std::vector<std::string>& tables) {
    loop_.post([this, tables] { store_changed(tables); });
  }

  void run() {
    auto on_term = net::Event::signal(loop_, SIGTERM, [this] { shutdown(); });
    auto on_int = net::Event::signal(loop_, SIGINT, [this] { shutdown(); });
    auto on_hup = net::Event::signal(loop_, SIGHUP, [this] { reload(); });
    auto tick = net::Event::periodic(loop_, tick_interval(), [this] { housekeeping(); });
    std::unique_ptr<net::HttpAdmin> admin;
    const config::Config& c = shared_.config;
    if (c.prometheus) {
      admin =
          std::make_unique<net::HttpAdmin>(loop_, c.prometheus_address.with_port(c.prometheus_port),
                                           std::map<std::string, net::HttpAdmin::Handler>{
                                               {"/metrics", [this] { return metrics(); }},
                                               {"/healthz", [this] { return health(); }}});
      LOG_INFO("main", "metrics on http://%s/metrics",
               c.prometheus_address.with_port(c.prometheus_port).to_string().c_str());
    }
    notifier_.ready();
    housekeeping();
    loop_.dispatch();
  }

 private:
  std::chrono::milliseconds tick_interval() const {
    auto interval = std::chrono::milliseconds(1000);
    if (auto w = notifier_.watchdog_interval()) {
      interval = std::min(interval, std::chrono::duration_cast<std::chrono::milliseconds>(*w / 4));
    }
    return std::max(interval, std::chrono::milliseconds(100));
  }

  void shutdown() {
    LOG_INFO("main", "shutting down");
    notifier_.stopping();
    for (auto& w : workers_) w->stop();
    loop_.stop();
  }

  // SIGHUP: re-read the file (and certificate); apply what can change live,
  // report what needs a restart, keep everything running on any error.
  void reload() {
    notifier_.reloading();
    try {
      config::Config next = loader_();
      std::shared_ptr<const net::TlsContext> tls;
      if (shared_.tls && !next.no_tls && !next.cert.empty()) {
        tls = std::make_shared<const net::TlsContext>(next.cert, next.pkey, next.cipher_list);
      }
      shared_.refresh_stored(next);
      turn::PolicyPtr policy = shared_.make_policy(next);
      for (const std::string& key : keys_needing_restart(shared_.config, next)) {
        LOG_WARN("main", "reload: %s changed; it takes effect after a restart", key.c_str());
      }
      shared_.quota.set_limits(next.total_quota, next.user_quota);
      for (auto& w : workers_) w->reload(policy, tls);
      configure_logging(next);
      shared_.policy = policy;
      if (tls) shared_.tls = tls;
      shared_.config = std::move(next);
      LOG_INFO("main", "reload: configuration applied%s", tls ? ", certificate reloaded" : "");
    } catch (const std::exception& e) {
      // The log file is reopened all the same (logrotate sends SIGHUP too).
      configure_logging(shared_.config);
      LOG_ERROR("main", "reload refused, the running configuration stays: %s", e.what());
    }
    notifier_.ready();
  }

  // TURN users or REST secrets changed in the database (turnctl, turnadmin):
  // the workers get them without a restart or a SIGHUP.
  void store_changed(const std::vector<std::string>& tables) {
    bool credentials = false, rooms = false;
    for (const std::string& t : tables) {
      credentials |= t == "turnusers_lt" || t == "turn_secret" || t == "reconnected";
      rooms |= t == "rooms" || t == "reconnected";
    }
    if (rooms && sfu_ != nullptr) load_rooms(shared_.config, *sfu_);
    if (!credentials) return;
    shared_.refresh_stored(shared_.config);
    turn::PolicyPtr policy = shared_.make_policy(shared_.config);
    for (auto& w : workers_) w->reload(policy, nullptr);
    shared_.policy = policy;
  }

  net::HttpResponse metrics() const {
    std::vector<MetricsSource> sources;
    for (auto& w : workers_) sources.push_back({&w->metrics(), &w->io()});
    std::string text = render_prometheus(sources);
    if (session_log_) {
      text += render_session_log(session_log_->stats(), session_log_->queued_in_workers());
    }
    if (sfu_) text += render_sfu(sfu_->gauges());
    if (sfu_ && sfu_->bridge()) text += render_bridge(sfu_->bridge()->counters());
    std::vector<const net::ListenerCounts*> listeners;
    for (auto& w : workers_) listeners.push_back(&w->listener_counts());
    text += render_listeners(listeners, sfu_ && config::web_shares_tls_port(shared_.config));
    return {200, "text/plain; version=0.0.4; charset=utf-8", std::move(text)};
  }

  // For Nagios/Icinga check_http: 200 while every worker runs its loop and
  // the session logs reach the database or are buffered within bounds.
  net::HttpResponse health() const {
    if (auto hung = hung_worker()) {
      return {503, "text/plain; charset=utf-8",
              "worker " + std::to_string(*hung) + " is not responding\n"};
    }
    if (sfu_ && shared_.clock.now() - sfu_->last_heartbeat() > std::chrono::seconds(3)) {
      return {503, "text/plain; charset=utf-8", "the SFU's media thread is not responding\n"};
    }
    if (session_log_) {
      if (std::string problem = session_log_->problem(); !problem.empty()) {
        return {503, "text/plain; charset=utf-8", problem + "\n"};
      }
    }
    return {200, "text/plain; charset=utf-8", "ok\n"};
  }

  // A worker that missed three 1-second beats is hung.
  std::optional<size_t> hung_worker() const {
    SteadyTime now = shared_.clock.now();
    for (auto& w : workers_) {
      if (now - w->last_heartbeat() > std::chrono::seconds(3)) return w->index();
    }
    return std::nullopt;
  }

  void housekeeping() {
    uint64_t allocations = 0;
    for (auto& w : workers_) allocations += w->metrics().allocations_active.get();
    // A hung worker stops the watchdog pings, so systemd restarts us.
    bool all_alive = !hung_worker() && !(sfu_ && shared_.clock.now() - sfu_->last_heartbeat() >
                                                     std::chrono::seconds(3));
    if (all_alive) notifier_.watchdog();
    if (++ticks_ % 5 == 1) {
      notifier_.status(std::to_string(allocations) + " allocations, " +
                       std::to_string(workers_.size()) + " workers" +
                       (all_alive ? "" : ", a worker is not responding"));
    }
  }

  SharedState& shared_;
  std::vector<std::unique_ptr<Worker>>& workers_;
  const SessionLogWriter* session_log_;  // null without a database
  SfuService* sfu_;                      // null when the SFU is off
  ConfigLoader loader_;
  SystemdNotifier notifier_;
  net::EventBase loop_;
  uint64_t ticks_ = 0;
};

}  // namespace

size_t worker_count(const config::Config& c) {
  if (c.relay_threads != 0) return c.relay_threads;
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

void configure_logging(const config::Config& config) {
  log::configure(config.verbose ? log::Level::kDebug : log::Level::kInfo, config.log_file,
                 config.log_privacy);
}

int run_daemon(config::Config config, ConfigLoader reload) {
  net::init_libevent_threads();
  ::signal(SIGPIPE, SIG_IGN);
  auto shared = std::make_unique<SharedState>(std::move(config));
  check_ports_free(*shared);
  size_t count = worker_count(shared->config);

  // With a database, each worker hands its allocation events to the
  // session-log thread through a queue of its own.
  std::vector<std::unique_ptr<SessionLogQueue>> queues;
  std::unique_ptr<SessionLogWriter> session_log;
  if (!shared->config.database.empty()) {
    std::vector<SessionLogQueue*> raw;
    for (size_t i = 0; i < count; ++i) {
      queues.push_back(std::make_unique<SessionLogQueue>(shared->clock));
      raw.push_back(queues.back().get());
    }
    session_log = std::make_unique<SessionLogWriter>(SessionLogSettings::from(shared->config),
                                                     shared->clock, std::move(raw));
  }
  // The SFU: with a database (rooms) and a certificate (HTTPS), unless no-sfu.
  std::unique_ptr<SessionLogQueue> sfu_queue;
  std::unique_ptr<SfuBridge> bridge;
  std::unique_ptr<SfuService> sfu;
  if (std::string why = sfu_disabled_reason(shared->config); !why.empty()) {
    LOG_INFO("main", "SFU off: %s", why.c_str());
  } else {
    if (session_log) {
      sfu_queue = std::make_unique<SessionLogQueue>(shared->clock);
      session_log->add_queue(sfu_queue.get());
    }
    std::string secret = turn_secret_for_browsers(*shared);
    if (secret.empty()) {
      LOG_WARN("sfu",
               "TURN takes no credentials (neither lt-cred-mech nor use-auth-secret): browsers "
               "get no TURN server, so those behind a UDP-blocking firewall cannot join");
    }
    bridge = std::make_unique<SfuBridge>(count, sfu_media_addresses(shared->config),
                                         shared->config.sfu_inprocess_relay);
    sfu = std::make_unique<SfuService>(shared->config, shared->clock, secret, sfu_queue.get(),
                                       bridge.get());
    load_rooms(shared->config, *sfu);
  }
  std::vector<std::unique_ptr<Worker>> workers;
  for (size_t i = 0; i < count; ++i) {
    workers.push_back(std::make_unique<Worker>(
        *shared, i, queues.empty() ? nullptr : queues[i].get(), bridge ? &bridge->port(i) : nullptr,
        sfu ? &sfu->web_door() : nullptr));
  }

  PidFile pid(shared->config.pidfile);
  Supervisor supervisor(*shared, workers, session_log.get(), sfu.get(), std::move(reload));
  if (session_log) {
    session_log->set_change_handler([&supervisor](const std::vector<std::string>& tables) {
      supervisor.post_store_change(tables);
    });
    session_log->start();
  }
  for (auto& w : workers) w->start();
  if (sfu) sfu->start();
  log_startup(*shared, count);
  LOG_INFO("main", "ready");
  supervisor.run();
  for (auto& w : workers) w->join();
  if (sfu) sfu->stop();  // the visits still open end here, as 'shutdown'
  workers.clear();       // the allocations still open end here, as 'shutdown'
  if (session_log) session_log->stop();
  return 0;
}

}  // namespace turnd::server

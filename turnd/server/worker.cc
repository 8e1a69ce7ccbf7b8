#include "turnd/server/worker.h"

#include <stdexcept>

#include "turnd/common/log.h"

namespace turnd::server {

net::StreamOptions Worker::stream_options(const config::Config& c, bool proxy_protocol) {
  net::StreamOptions options;
  options.limits = c.connection_limits();
  if (proxy_protocol) options.proxy_from = c.proxy_protocol_from;
  options.counts = &listener_counts_;
  return options;
}

Worker::Worker(SharedState& shared, size_t index, SessionLogQueue* sessions, WorkerPort* sfu,
               net::WebDoor* web)
    : index_(index),
      io_(std::make_unique<net::DatagramIo>()),
      relays_(base_, *io_, shared.reservations, shared.relay_plan),
      sfu_(sfu),
      turn_(turn::ServerDeps{shared.clock, relays_, shared.quota, sessions, sfu}, shared.policy) {
  if (sfu_ != nullptr) sfu_->attach(base_);
  const config::Config& c = shared.config;
  for (const SocketAddress& ip : shared.listen_addresses) {
    try {
      if (!c.no_udp) {
        udp_.push_back(
            std::make_unique<net::UdpListener>(base_, ip.with_port(c.listening_port), *io_, turn_));
      }
      if (!c.no_tcp) {
        net::StreamOptions options = stream_options(c, c.proxy_protocol_tcp);
        if (web != nullptr && c.web_redirect_port == c.listening_port) {
          options.shared = net::SharedPort{web, {}, false, net::WebHandoff::kPlainHttp};
        }
        streams_.push_back(std::make_unique<net::StreamListener>(
            base_, ip.with_port(c.listening_port), nullptr, turn_, std::move(options)));
      }
      if (shared.tls) {
        net::StreamOptions options = stream_options(c, c.proxy_protocol_tls);
        if (web != nullptr && config::web_shares_tls_port(c)) {
          options.shared =
              net::SharedPort{web, {c.web_host, c.sfu_turns_host}, false, net::WebHandoff::kTls};
        }
        streams_.push_back(std::make_unique<net::StreamListener>(
            base_, ip.with_port(c.tls_listening_port), shared.tls, turn_, std::move(options)));
      }
    } catch (const std::runtime_error& e) {
      // With the default wildcard listeners, a host without IPv6 still runs.
      if (!(shared.wildcard_listen && ip.is_v6())) throw;
      if (index == 0) LOG_WARN("net", "%s (IPv6 disabled)", e.what());
    }
  }
  // The web on a port of its own, behind a load balancer speaking the PROXY
  // protocol: read the header here, then hand the connection over.
  if (web != nullptr && c.proxy_protocol_web && !config::web_shares_tls_port(c)) {
    net::StreamOptions options = stream_options(c, true);
    options.shared = net::SharedPort{web, {}, true, net::WebHandoff::kTls};
    streams_.push_back(std::make_unique<net::StreamListener>(base_, config::web_listen_address(c),
                                                             nullptr, turn_, std::move(options)));
  }
  // Plain HTTP on a port of its own, redirected to the https page.
  if (web != nullptr && c.web_redirect_port != 0 &&
      (c.web_redirect_port != c.listening_port || c.no_tcp)) {
    net::StreamOptions options = stream_options(c, c.proxy_protocol_web);
    options.shared = net::SharedPort{web, {}, true, net::WebHandoff::kPlainHttp};
    streams_.push_back(std::make_unique<net::StreamListener>(
        base_, config::web_listen_address(c).with_port(c.web_redirect_port), nullptr, turn_,
        std::move(options)));
  }
  heartbeat_.store(shared.clock.now().time_since_epoch().count());
  expiry_timer_ = net::Event::periodic(base_, std::chrono::seconds(1), [this, &shared, sessions] {
    turn_.expire();
    if (sessions != nullptr) sessions->retry_overflow();
    heartbeat_.store(shared.clock.now().time_since_epoch().count(), std::memory_order_relaxed);
  });
}

Worker::~Worker() {
  stop();
  join();
  if (sfu_ != nullptr) sfu_->detach();
}

void Worker::start() {
  thread_ = std::thread([this] {
    // One round of ready callbacks, then one sendmmsg per socket for all the
    // datagrams they queued.
    while (!base_.stopped()) {
      base_.run_once();
      io_->flush();
      if (sfu_ != nullptr) sfu_->flush();  // one wakeup for the SFU per round
    }
  });
}

void Worker::stop() noexcept {
  base_.stop();
}

void Worker::reload(turn::PolicyPtr policy, std::shared_ptr<const net::TlsContext> tls) {
  base_.post([this, policy = std::move(policy), tls = std::move(tls)]() mutable {
    turn_.set_policy(std::move(policy));
    if (tls) {
      for (auto& listener : streams_) {
        if (listener->is_tls()) listener->set_tls(tls);
      }
    }
  });
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace turnd::server

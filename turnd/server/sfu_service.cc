#include "turnd/server/sfu_service.h"

#include <stdexcept>

#include "turnd/common/log.h"
#include "turnd/net/relay_factory.h"

namespace turnd::server {
namespace {

SocketAddress first_concrete(const std::vector<SocketAddress>& a,
                             const std::vector<SocketAddress>& b) {
  for (const auto* list : {&a, &b}) {
    for (const SocketAddress& ip : *list) {
      if (!ip.empty()) return ip;
    }
  }
  return {};
}

// The media address as browsers reach it: external-ip's public address when
// it maps this one (or all of its family).
SocketAddress announced(const config::Config& c, const SocketAddress& local) {
  std::vector<std::pair<SocketAddress, SocketAddress>> external;
  for (const config::ExternalIp& e : c.external_ips)
    external.emplace_back(e.public_ip, e.private_ip);
  return net::advertised_address(external, local);
}

std::string url_host(const SocketAddress& a) {
  return a.is_v6() ? "[" + a.ip_string() + "]" : a.ip_string();
}

SocketAddress media_address(const config::Config& c) {
  SocketAddress ip = c.sfu_ip.empty() ? first_concrete(c.listening_ips, c.relay_ips) : c.sfu_ip;
  return ip.with_port(c.sfu_port);
}

std::filesystem::path web_root(const config::Config& c) {
  if (!c.web_root.empty()) return c.web_root;
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path().parent_path() / "share" / "turnd" / "web";
    if (std::filesystem::is_directory(installed, ec)) return installed;
  }
#ifdef TURND_SOURCE_DIR
  return std::filesystem::path(TURND_SOURCE_DIR) / "sfu" / "web";
#else
  return "sfu/web";
#endif
}

sfu::conference::ConferenceOptions conference_options(const config::Config& c,
                                                      std::string turn_secret) {
  sfu::conference::ConferenceOptions o;
  SocketAddress media = media_address(c);
  o.udp_candidates.push_back(announced(c, media));
  if (c.sfu_tcp_port != 0)
    o.tcp_candidates.push_back(announced(c, media.with_port(c.sfu_tcp_port)));
  SocketAddress turn_host = announced(c, media);
  std::string host = url_host(turn_host);
  if (!c.no_udp)
    o.turn_urls.push_back("turn:" + host + ":" + std::to_string(c.listening_port) +
                          "?transport=udp");
  if (!c.no_tcp)
    o.turn_urls.push_back("turn:" + host + ":" + std::to_string(c.listening_port) +
                          "?transport=tcp");
  if (!c.no_tls && !c.cert.empty()) {
    o.turns_port = c.tls_listening_port;
    o.turns_host = c.sfu_turns_host;
    o.turns_address = host;
  }
  o.turn_secret = std::move(turn_secret);
  o.rest_separator = c.rest_api_separator;
  o.join_limits.host.free = c.join_free_attempts;
  o.join_limits.host.refuse_at = c.join_max_failures;
  return o;
}

}  // namespace

std::string sfu_disabled_reason(const config::Config& c) {
  if (c.no_sfu) return "no-sfu is set";
  if (c.database.empty()) return "it needs a database (rooms and access codes live there)";
  if (c.cert.empty() || c.pkey.empty()) return "its web server needs cert= and pkey=";
  if (media_address(c).empty()) return "it needs sfu-ip= (or a listening-ip or relay-ip)";
  return {};
}

std::vector<SocketAddress> sfu_media_addresses(const config::Config& c) {
  SocketAddress media = media_address(c);
  std::vector<SocketAddress> out{media};
  SocketAddress public_address = announced(c, media);
  if (!(public_address == media)) out.push_back(public_address);
  return out;
}

SfuService::SfuService(const config::Config& c, const Clock& clock, std::string turn_secret,
                       SessionLogQueue* participation_log, SfuBridge* bridge)
    : clock_(clock),
      participation_log_(participation_log),
      bridge_(bridge),
      certificate_(sfu::dtls::DtlsCertificate::generate()),
      dtls_(certificate_) {
  codes_ = std::make_unique<sfu::conference::ScryptCodeVerifier>(
      [this](std::function<void()> task) { base_.post(std::move(task)); });
  sfu::conference::ConferenceDeps deps{
      clock_,
      rooms_,
      *this,
      *codes_,
      endpoint_,
      sfu::transport::TransportDeps{clock_, dtls_, srtp_, mac_, endpoint_},
      [this](const sfu::conference::ParticipationEvent& e) { on_participation(e); }};
  conference_ = std::make_unique<sfu::conference::Conference>(
      std::move(deps), conference_options(c, std::move(turn_secret)));
  SocketAddress media = media_address(c);
  udp_ = std::make_unique<net::UdpListener>(base_, media, io_, endpoint_);
  if (udp_->receive_buffer() < net::UdpListener::kReceiveBuffer) {
    LOG_WARN("sfu",
             "the media socket's receive buffer is %d KiB (net.core.rmem_max): bursts from many "
             "publishers may be dropped; raise it with sysctl net.core.rmem_max=%d",
             udp_->receive_buffer() / 2048, net::UdpListener::kReceiveBuffer);
  }
  if (bridge_ != nullptr) bridge_->attach_sfu(base_, endpoint_);
  if (c.sfu_tcp_port != 0) {
    net::StreamOptions options;
    options.framing = net::StreamFraming::kRfc4571;
    options.limits = c.connection_limits();
    tcp_ = std::make_unique<net::StreamListener>(base_, media.with_port(c.sfu_tcp_port), nullptr,
                                                 endpoint_, std::move(options));
  }
  sfu::signal::SignalOptions so;
  so.listen = config::web_listen_address(c);
  so.accepted_elsewhere = config::web_accepted_by_workers(c);
  so.cert_file = c.cert;
  so.key_file = c.pkey;
  so.cipher_list = c.cipher_list;
  so.web_root = web_root(c);
  so.imprint_file = c.imprint_file;
  so.privacy_file = c.privacy_file;
  so.connection_limits = c.connection_limits();
  signal_ = std::make_unique<sfu::signal::SignalServer>(so, *this);
  heartbeat_.store(clock_.now().time_since_epoch().count());
  timer_ = net::Event::periodic(base_, std::chrono::milliseconds(50), [this] {
    heartbeat_.store(clock_.now().time_since_epoch().count(), std::memory_order_relaxed);
    conference_->on_timer();
    publish_gauges();
    if (participation_log_ != nullptr) participation_log_->retry_overflow();
  });
  LOG_INFO("sfu", "media on udp %s%s, web on https://%s/ (client files %s)",
           media.to_string().c_str(),
           c.sfu_tcp_port != 0 ? (" and tcp port " + std::to_string(c.sfu_tcp_port)).c_str() : "",
           signal_->local_address().to_string().c_str(), so.web_root.c_str());
}

SfuService::~SfuService() {
  stop();
}

void SfuService::start() {
  thread_ = std::thread([this] {
    while (!base_.stopped()) {
      base_.run_once();
      io_.flush();
      if (bridge_ != nullptr) bridge_->flush_sfu();  // one wakeup per worker per round
    }
  });
  signal_->start();
}

void SfuService::stop() {
  if (signal_) signal_->stop();  // no more messages
  base_.stop();
  if (thread_.joinable()) thread_.join();
  if (bridge_ != nullptr) bridge_->detach_sfu();
  conference_.reset();  // everyone's visit ends ('shutdown'), on this thread
  codes_.reset();
}

void SfuService::on_open(sfu::signal::ConnectionId id, const SocketAddress& peer,
                         const std::string& page_host) {
  base_.post([this, id, peer, page_host] { conference_->on_open(id, peer, page_host); });
}

void SfuService::on_message(sfu::signal::ConnectionId id, std::string text) {
  base_.post([this, id, text = std::move(text)] { conference_->on_message(id, text); });
}

void SfuService::on_close(sfu::signal::ConnectionId id) {
  base_.post([this, id] { conference_->on_close(id); });
}

void SfuService::send(sfu::conference::ConnectionId id, std::string text) {
  signal_->send(id, std::move(text));
}

void SfuService::close(sfu::conference::ConnectionId id) {
  signal_->close(id);
}

void SfuService::on_participation(const sfu::conference::ParticipationEvent& e) {
  if (participation_log_ == nullptr) return;
  ParticipationEvent out;
  out.id = e.id;
  out.room_id = e.room_id;
  out.name = e.name;
  out.client = e.client;
  out.moderator = e.moderator;
  out.joined_at = e.joined_at;
  out.left_at = e.left_at;
  out.end_reason = e.end_reason;
  out.media_sent = e.media_sent;
  out.bytes_from = e.bytes_from;
  out.bytes_to = e.bytes_to;
  participation_log_->on_participation(std::move(out));
}

void SfuService::publish_gauges() {
  const auto& c = conference_->counters();
  gauges_.rooms.store(conference_->room_count(), std::memory_order_relaxed);
  gauges_.participants.store(conference_->participant_count(), std::memory_order_relaxed);
  gauges_.forwarded_packets.store(c.forwarded_packets, std::memory_order_relaxed);
  gauges_.forwarded_bytes.store(c.forwarded_bytes, std::memory_order_relaxed);
  gauges_.nacks.store(c.nacks, std::memory_order_relaxed);
  gauges_.plis.store(c.plis, std::memory_order_relaxed);
  gauges_.retransmitted.store(c.retransmitted, std::memory_order_relaxed);
  gauges_.joins.store(c.joins, std::memory_order_relaxed);
  gauges_.refused_joins.store(c.refused_joins, std::memory_order_relaxed);
  gauges_.throttled_joins.store(c.throttled_joins, std::memory_order_relaxed);
  gauges_.busy_joins.store(c.busy_joins, std::memory_order_relaxed);
  gauges_.retransmissions_refused.store(c.retransmissions_refused, std::memory_order_relaxed);
  if (signal_) {
    const sfu::signal::SignalCounters& s = signal_->counters();
    gauges_.web_refused_connections.store(s.refused_connections.load(std::memory_order_relaxed),
                                          std::memory_order_relaxed);
    gauges_.web_flooding_closed.store(s.flooding_closed.load(std::memory_order_relaxed),
                                      std::memory_order_relaxed);
  }
  gauges_.transport_feedback.store(c.transport_feedback, std::memory_order_relaxed);
  gauges_.receiver_reports.store(c.receiver_reports, std::memory_order_relaxed);
  gauges_.rembs.store(c.rembs, std::memory_order_relaxed);
}

}  // namespace turnd::server

#include "turnd/server/prometheus.h"

#include <cstdint>
#include <functional>

#include "turnd/server/session_log_writer.h"
#include "turnd/server/sfu_service.h"

namespace turnd::server {
namespace {

constexpr const char* kTransportLabel[] = {"UDP", "TCP", "TLS"};

class Writer {
 public:
  explicit Writer(std::span<const MetricsSource> workers) : workers_(workers) {}

  // One sample summed over the workers.
  void metric(const char* name, const char* type, const char* help,
              const std::function<uint64_t(const MetricsSource&)>& read) {
    header(name, type, help);
    sample(name, "", sum(read));
  }

  // One sample per client transport.
  void by_transport(const char* name, const char* type, const char* help, const char* label,
                    const std::function<uint64_t(const MetricsSource&, size_t)>& read) {
    header(name, type, help);
    for (size_t t = 0; t < 3; ++t) {
      std::string labels = std::string("{") + label + "=\"" + kTransportLabel[t] + "\"}";
      sample(name, labels, sum([&](const MetricsSource& w) { return read(w, t); }));
    }
  }

  std::string take() { return std::move(out_); }

 private:
  uint64_t sum(const std::function<uint64_t(const MetricsSource&)>& read) const {
    uint64_t total = 0;
    for (const MetricsSource& w : workers_) total += read(w);
    return total;
  }
  void header(const char* name, const char* type, const char* help) {
    out_ += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  }
  void sample(const char* name, const std::string& labels, uint64_t value) {
    out_ += name + labels + " " + std::to_string(value) + "\n";
  }

  std::span<const MetricsSource> workers_;
  std::string out_;
};

}  // namespace

std::string render_prometheus(std::span<const MetricsSource> workers) {
  Writer w(workers);
  using S = const MetricsSource&;
  w.by_transport("turn_total_allocations", "gauge", "Allocations now, by client transport.", "type",
                 [](S s, size_t t) { return s.turn->active_by_transport[t].get(); });
  w.metric("turn_total_traffic_rcvp", "counter", "Packets received from clients to relay.",
           [](S s) { return s.turn->packets_from_clients.get(); });
  w.metric("turn_total_traffic_rcvb", "counter", "Bytes received from clients to relay.",
           [](S s) { return s.turn->bytes_from_clients.get(); });
  w.metric("turn_total_traffic_sentp", "counter", "Relayed packets sent to clients.",
           [](S s) { return s.turn->packets_from_peers.get(); });
  w.metric("turn_total_traffic_sentb", "counter", "Relayed bytes sent to clients.",
           [](S s) { return s.turn->bytes_from_peers.get(); });
  w.metric("turn_total_traffic_peer_rcvp", "counter", "Packets received from peers and relayed.",
           [](S s) { return s.turn->packets_from_peers.get(); });
  w.metric("turn_total_traffic_peer_rcvb", "counter", "Bytes received from peers and relayed.",
           [](S s) { return s.turn->bytes_from_peers.get(); });
  w.metric("turn_total_traffic_peer_sentp", "counter", "Packets sent to peers.",
           [](S s) { return s.turn->packets_to_peers.get(); });
  w.metric("turn_total_traffic_peer_sentb", "counter", "Bytes sent to peers.",
           [](S s) { return s.turn->bytes_to_peers.get(); });
  w.metric("turnd_local_peer_packets_total", "counter",
           "Packets relayed to the SFU in process (no relay socket).",
           [](S s) { return s.turn->packets_to_local_peers.get(); });
  w.metric("turnd_local_peer_bytes_total", "counter", "Bytes relayed to the SFU in process.",
           [](S s) { return s.turn->bytes_to_local_peers.get(); });
  w.metric("stun_binding_request", "counter", "STUN Binding requests.",
           [](S s) { return s.turn->binding_requests.get(); });
  w.metric("stun_binding_response", "counter", "STUN Binding success responses.",
           [](S s) { return s.turn->binding_responses.get(); });
  w.by_transport(
      "turnd_allocations_created_total", "counter",
      "Allocations created, by client transport (TCP/TLS: clients whose UDP is blocked).",
      "transport", [](S s, size_t t) { return s.turn->allocations_by_transport[t].get(); });
  w.metric("turnd_allocations_expired_total", "counter", "Allocations that timed out.",
           [](S s) { return s.turn->allocations_expired.get(); });
  w.metric("turnd_auth_failures_total", "counter", "Requests with wrong credentials.",
           [](S s) { return s.turn->auth_failures.get(); });
  w.metric("turnd_auth_throttled_total", "counter",
           "Requests answered 401 unchecked while their address and login wait after wrong "
           "passwords.",
           [](S s) { return s.turn->auth_throttled.get(); });
  w.metric("turnd_stale_nonces_total", "counter", "Requests with an expired or foreign nonce.",
           [](S s) { return s.turn->stale_nonces.get(); });
  w.metric("turnd_error_responses_total", "counter", "STUN error responses sent.",
           [](S s) { return s.turn->error_responses.get(); });
  w.metric("turnd_denied_peers_total", "counter", "Peers refused by the peer policy.",
           [](S s) { return s.turn->denied_peers.get(); });
  w.metric("turnd_quota_rejections_total", "counter", "Allocations refused by a quota (486).",
           [](S s) { return s.turn->quota_rejections.get(); });
  w.metric("turnd_malformed_packets_total", "counter", "Packets dropped as malformed.",
           [](S s) { return s.turn->malformed_packets.get(); });
  w.metric("turnd_dropped_packets_total", "counter",
           "Packets dropped: no allocation, permission or channel.",
           [](S s) { return s.turn->dropped_packets.get(); });
  w.metric("turnd_rate_limited_packets_total", "counter", "Packets dropped by max-bps.",
           [](S s) { return s.turn->rate_limited_packets.get(); });
  w.metric("turnd_udp_datagrams_sent_total", "counter", "UDP datagrams sent.",
           [](S s) { return s.io->datagrams_sent.get(); });
  w.metric("turnd_udp_send_calls_total", "counter", "sendmmsg/sendto system calls.",
           [](S s) { return s.io->send_calls.get(); });
  w.metric("turnd_udp_early_sends_total", "counter",
           "Send queues flushed mid-round because a round sent more than the buffers hold.",
           [](S s) { return s.io->early_sends.get(); });
  w.metric("turnd_udp_send_errors_total", "counter", "UDP datagrams the kernel refused.",
           [](S s) { return s.io->send_errors.get(); });
  w.metric("turnd_udp_oversized_total", "counter", "Received UDP datagrams over 2048 bytes.",
           [](S s) { return s.io->oversized.get(); });
  std::string out = w.take();
  out += "# HELP turnd_workers Relay worker threads.\n# TYPE turnd_workers gauge\n";
  out += "turnd_workers " + std::to_string(workers.size()) + "\n";
  return out;
}

std::string render_session_log(const SessionLogStats& s, uint64_t queued_in_workers) {
  std::string out;
  auto one = [&out](const char* name, const char* type, const char* help, uint64_t value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
           name + " " + std::to_string(value) + "\n";
  };
  one("turnd_session_log_database_up", "gauge",
      "1 while the session-log writer is connected to PostgreSQL.", s.database_up ? 1 : 0);
  one("turnd_session_log_outages_total", "counter", "Times PostgreSQL became unreachable.",
      s.outages);
  one("turnd_session_log_queue_rows", "gauge",
      "Session-log rows waiting in memory (workers' queues and the writer).",
      s.in_memory + queued_in_workers);
  one("turnd_session_log_journal_rows", "gauge",
      "Session-log rows waiting in the on-disk journal for the database.", s.in_journal);
  one("turnd_session_log_written_total", "counter", "Session-log rows written to PostgreSQL.",
      s.written);
  one("turnd_session_log_rejected_total", "counter", "Session-log rows PostgreSQL refused.",
      s.rejected);
  one("turnd_session_log_lost_total", "counter",
      "Session-log rows dropped: database down, journal failing, memory full.", s.lost);
  one("turnd_session_log_journal_failing", "gauge", "1 while the journal cannot be written.",
      s.journal_failing ? 1 : 0);
  one("turnd_session_log_journal_full", "gauge",
      "1 while the journal holds its limit of rows (new rows wait in memory, then are lost).",
      s.journal_full ? 1 : 0);
  return out;
}

std::string render_bridge(const BridgeCounters& c) {
  return "# HELP turnd_inprocess_relay_packets_total Datagrams between TURN allocations and the "
         "SFU handed over in process.\n# TYPE turnd_inprocess_relay_packets_total counter\n"
         "turnd_inprocess_relay_packets_total{direction=\"to_sfu\"} " +
         std::to_string(c.to_sfu) +
         "\nturnd_inprocess_relay_packets_total{direction=\"from_sfu\"} " +
         std::to_string(c.from_sfu) +
         "\n# HELP turnd_inprocess_relay_dropped_total Datagrams dropped by the in-process relay "
         "(a full queue, or an allocation that had gone).\n# TYPE "
         "turnd_inprocess_relay_dropped_total "
         "counter\nturnd_inprocess_relay_dropped_total " +
         std::to_string(c.dropped) + "\n";
}

std::string render_listeners(std::span<const net::ListenerCounts* const> workers,
                             bool shared_port) {
  uint64_t web = 0, decrypted = 0, turn = 0, unrecognised = 0, proxy_refused = 0;
  for (const net::ListenerCounts* w : workers) {
    web += w->web.get();
    decrypted += w->web_decrypted.get();
    turn += w->turn.get();
    unrecognised += w->unrecognised.get();
    proxy_refused += w->proxy_refused.get();
  }
  std::string out =
      "# HELP turnd_proxy_protocol_refused_total Connections closed on a proxy-protocol "
      "listener: not from a proxy-protocol-from source, or no valid PROXY header within 10 "
      "s.\n# TYPE turnd_proxy_protocol_refused_total counter\nturnd_proxy_protocol_refused_total " +
      std::to_string(proxy_refused) + "\n";
  if (!shared_port) return out;
  const std::string name = "turnd_shared_port_connections_total";
  return out + "# HELP " + name +
         " Connections on the port shared by the web and TURN over TLS, by where they went "
         "(web: ALPN or SNI; web_no_alpn: HTTP found after the handshake; turn; unrecognised: "
         "closed).\n# TYPE " +
         name + " counter\n" + name + "{route=\"web\"} " + std::to_string(web) + "\n" + name +
         "{route=\"web_no_alpn\"} " + std::to_string(decrypted) + "\n" + name +
         "{route=\"turn\"} " + std::to_string(turn) + "\n" + name + "{route=\"unrecognised\"} " +
         std::to_string(unrecognised) + "\n";
}

std::string render_sfu(const SfuGauges& g) {
  std::string out;
  auto one = [&out](const char* name, const char* type, const char* help, uint64_t value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
           name + " " + std::to_string(value) + "\n";
  };
  auto get = [](const std::atomic<uint64_t>& v) { return v.load(std::memory_order_relaxed); };
  one("turnd_sfu_rooms", "gauge", "Conference rooms with someone in them.", get(g.rooms));
  one("turnd_sfu_participants", "gauge", "People in conferences.", get(g.participants));
  one("turnd_sfu_joins_total", "counter", "Joins accepted.", get(g.joins));
  one("turnd_sfu_refused_joins_total", "counter",
      "Joins refused (wrong code or no such room, throttled, full, locked).", get(g.refused_joins));
  one("turnd_sfu_throttled_joins_total", "counter",
      "Joins refused because their address sent too many wrong access codes.",
      get(g.throttled_joins));
  one("turnd_sfu_busy_joins_total", "counter",
      "Joins answered busy (too many code checks under way); the page retries.", get(g.busy_joins));
  one("turnd_sfu_retransmissions_refused_total", "counter",
      "NACKed packets not resent: over the subscriber's retransmission budget.",
      get(g.retransmissions_refused));
  one("turnd_web_refused_connections_total", "counter",
      "HTTPS/WSS connections refused at accept (per-address, per-network or total limit).",
      get(g.web_refused_connections));
  one("turnd_web_flooding_closed_total", "counter",
      "WebSocket connections closed for sending too many messages.", get(g.web_flooding_closed));
  one("turnd_sfu_forwarded_packets_total", "counter", "RTP packets forwarded to subscribers.",
      get(g.forwarded_packets));
  one("turnd_sfu_forwarded_bytes_total", "counter", "RTP bytes forwarded to subscribers.",
      get(g.forwarded_bytes));
  one("turnd_sfu_nacks_total", "counter", "NACKs received from subscribers.", get(g.nacks));
  one("turnd_sfu_retransmissions_total", "counter", "Packets resent from the history for NACKs.",
      get(g.retransmitted));
  one("turnd_sfu_plis_total", "counter", "Keyframe requests (PLI) sent to publishers.",
      get(g.plis));
  one("turnd_sfu_transport_feedback_total", "counter",
      "Transport-wide congestion control feedback packets sent to publishers.",
      get(g.transport_feedback));
  one("turnd_sfu_receiver_reports_total", "counter", "RTCP receiver reports sent to publishers.",
      get(g.receiver_reports));
  one("turnd_sfu_rembs_total", "counter", "REMB bitrate ceilings sent to publishers.",
      get(g.rembs));
  return out;
}

}  // namespace turnd::server

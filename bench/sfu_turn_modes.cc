#include "bench/sfu_turn_modes.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>

#include "bench/control_channel.h"
#include "bench/coturn_process.h"
#include "bench/turn_tcp_client.h"
#include "bench/udp_pc_transport.h"
#include "turnd/net/udp.h"

namespace turnd::sfu::bench {
namespace {

using nlohmann::json;

constexpr const char* kRealm = "bench.example";
constexpr const char* kUser = "bench";
constexpr const char* kPassword = "bench-password";

// A port free for both TCP and UDP on 127.0.0.1 (the TURN listener).
uint16_t free_port() {
  for (int attempt = 0; attempt < 50; ++attempt) {
    net::Fd tcp(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    net::Fd udp(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    if (::bind(tcp.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
        ::getsockname(tcp.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      continue;
    }
    if (::bind(udp.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0)
      return ntohs(a.sin_port);
  }
  throw std::runtime_error("no free port");
}

// 1000 relay ports at random between 20000 and the kernel's ephemeral range.
std::pair<uint16_t, uint16_t> relay_window() {
  int low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> low;
  if (low < 23000) low = 61000;
  std::random_device seed;
  auto first = static_cast<uint16_t>(20000 + seed() % static_cast<unsigned>(low - 21000));
  return {first, static_cast<uint16_t>(first + 999)};
}

// turnd's configuration for the inprocess and kernel modes, parsed by
// turnd's own parser in the server process.
std::string write_turnd_config(const ModeSettings& s, bool inprocess, uint16_t port,
                               std::pair<uint16_t, uint16_t> relay_ports) {
  auto [min_port, max_port] = relay_ports;
  std::string path = s.scratch_dir + (inprocess ? "/inprocess.conf" : "/kernel.conf");
  std::ofstream(path) << "# bench/sfu_turn_load: TURN in front of the SFU, 127.0.0.1 only\n"
                      << "listening-ip=127.0.0.1\nlistening-port=" << port << "\n"
                      << "relay-ip=127.0.0.1\nmin-port=" << min_port << "\nmax-port=" << max_port
                      << "\nrelay-threads=" << s.relay_threads << "\n"
                      << "realm=" << kRealm << "\nlt-cred-mech\nuser=" << kUser << ":" << kPassword
                      << "\nno-tls\n"
                      << "sfu-ip=127.0.0.1\nsfu-port=" << free_port() << "\n"
                      << "sfu-inprocess-relay=" << (inprocess ? "on" : "off") << "\n";
  return path;
}

// The server processes of one mode, stopped by the destructor.
struct Servers {
  int control = -1;
  pid_t sfu = -1;  // the process that holds the SFU (and turnd's workers)
  std::unique_ptr<CoturnProcess> coturn;
  uint16_t turn_port = 0;
  std::pair<uint16_t, uint16_t> relay_ports = relay_window();

  ~Servers() {
    coturn.reset();
    if (sfu > 0) {
      if (control >= 0) ::close(control);  // the server ends at the end of its channel
      for (int i = 0; i < 50 && ::waitpid(sfu, nullptr, WNOHANG) == 0; ++i) ::usleep(100'000);
      if (::kill(sfu, 0) == 0) {
        ::kill(sfu, SIGKILL);
        ::waitpid(sfu, nullptr, 0);
      }
    }
  }
};

void start(RelayMode mode, const ModeSettings& s, Servers& servers) {
  std::vector<std::string> args;
  if (mode == RelayMode::kInProcess || mode == RelayMode::kKernel) {
    servers.turn_port = free_port();
    args = {"--turn", write_turnd_config(s, mode == RelayMode::kInProcess, servers.turn_port,
                                         servers.relay_ports)};
  }
  servers.sfu = spawn_server(args, servers.control);
  if (mode == RelayMode::kCoturn) {
    CoturnOptions o;
    o.binary = s.coturn_binary;
    o.port = free_port();
    std::tie(o.min_port, o.max_port) = servers.relay_ports;
    o.realm = kRealm;
    o.user = kUser;
    o.password = kPassword;
    o.relay_threads = s.relay_threads;
    o.dir = s.scratch_dir;
    servers.coturn = std::make_unique<CoturnProcess>(o);
    servers.turn_port = o.port;
  }
}

// `perf record -g` on `pids` from construction to destruction.
class PerfRecorder {
 public:
  PerfRecorder(const std::string& output, const std::vector<pid_t>& pids) {
    std::string list;
    for (pid_t p : pids) list += (list.empty() ? "" : ",") + std::to_string(p);
    std::vector<std::string> args{"perf", "record", "-q",   "-g", "-F",
                                  "999",  "-o",     output, "-p", list};
    std::vector<char*> argv = exec_argv(args);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execvp("perf", argv.data());
      std::perror("exec perf");
      std::_Exit(127);
    }
    ::usleep(300'000);  // perf attaches
  }
  ~PerfRecorder() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGINT);  // perf writes its file and exits
    ::waitpid(pid_, nullptr, 0);
  }
  PerfRecorder(const PerfRecorder&) = delete;
  PerfRecorder& operator=(const PerfRecorder&) = delete;

 private:
  pid_t pid_ = -1;
};

LoadRoom::TransportFactory transports(RelayMode mode, uint16_t sfu_port, uint16_t turn_port) {
  if (mode == RelayMode::kDirect) {
    return [sfu_port](int, Pc, stun::MacContext&) {
      return std::make_unique<UdpPcTransport>(sfu_port);
    };
  }
  TurnTcpOptions o;
  o.server = *SocketAddress::parse("127.0.0.1", turn_port);
  o.username = kUser;
  o.password = kPassword;
  o.peer = *SocketAddress::parse("127.0.0.1", sfu_port);
  return [o](int, Pc, stun::MacContext& mac) { return std::make_unique<TurnTcpClient>(o, mac); };
}

double seconds(const json& after, const json& before, const char* key) {
  return (after.at(key).get<double>() - before.at(key).get<double>()) / 1e9;
}

json counter_delta(const json& after, const json& before) {
  json out = json::object();
  for (const auto& [key, value] : after.items()) {
    out[key] = value.get<int64_t>() - before.value(key, int64_t{0});
  }
  return out;
}

// The mode took the path it names; the load arrived intact.
void check(const ModeResult& r) {
  std::string m = mode_name(r.mode);
  if (r.load.srtp_errors != 0) {
    throw std::runtime_error(m + ": " + std::to_string(r.load.srtp_errors) +
                             " packets did not decrypt");
  }
  if (r.load.received == 0) throw std::runtime_error(m + ": the subscribers received nothing");
  if (r.mode == RelayMode::kInProcess && (r.turn.at("packets_to_local_peers").get<int64_t>() == 0 ||
                                          r.turn.at("packets_to_peers").get<int64_t>() != 0)) {
    throw std::runtime_error(m + ": packets did not take the in-process relay: " + r.turn.dump());
  }
  if (r.mode == RelayMode::kKernel && (r.turn.at("packets_to_peers").get<int64_t>() == 0 ||
                                       r.turn.at("packets_to_local_peers").get<int64_t>() != 0)) {
    throw std::runtime_error(m + ": packets did not take the relay sockets: " + r.turn.dump());
  }
}

}  // namespace

const char* mode_name(RelayMode mode) noexcept {
  switch (mode) {
    case RelayMode::kDirect:
      return "direct";
    case RelayMode::kInProcess:
      return "inprocess";
    case RelayMode::kKernel:
      return "kernel";
    case RelayMode::kCoturn:
      return "coturn";
  }
  return "?";
}

RelayMode parse_mode(const std::string& name) {
  for (RelayMode m :
       {RelayMode::kDirect, RelayMode::kInProcess, RelayMode::kKernel, RelayMode::kCoturn}) {
    if (name == mode_name(m)) return m;
  }
  throw std::invalid_argument("unknown mode " + name + " (direct, inprocess, kernel, coturn)");
}

ModeResult run_mode(RelayMode mode, const ModeSettings& settings) {
  ModeResult r;
  r.mode = mode;
  Servers servers;
  start(mode, settings, servers);
  std::optional<json> ready = read_frame(servers.control);
  if (!ready || ready->value("op", "") != "ready") {
    throw std::runtime_error(std::string(mode_name(mode)) + ": the server did not start");
  }
  LoadOptions o = settings.load;
  if (mode != RelayMode::kDirect) o.ice_priority = BrowserOptions::kRelayTcpPriority;
  LoadRoom room(servers.control,
                transports(mode, ready->at("port").get<uint16_t>(), servers.turn_port), o);
  room.setup();
  const auto ports = room.ports();
  const std::set<uint16_t> clients(ports.begin(), ports.end());
  const std::set<uint16_t> sfu{ready->at("port").get<uint16_t>()};
  const auto [relay_first, relay_last] = servers.relay_ports;
  const uint64_t sfu_drops = udp_drops(sfu), client_drops = udp_drops(clients),
                 relay_drops =
                     mode == RelayMode::kDirect ? 0 : udp_drops({}, relay_first, relay_last);
  pid_t coturn = servers.coturn ? servers.coturn->pid() : -1;
  json before = room.stats();
  int64_t coturn_before = coturn > 0 ? process_cpu_ns(coturn) : 0;
  std::unique_ptr<PerfRecorder> perf;
  if (!settings.perf_dir.empty()) {
    std::vector<pid_t> pids{servers.sfu};
    if (coturn > 0) pids.push_back(coturn);
    perf = std::make_unique<PerfRecorder>(settings.perf_dir + "/" + mode_name(mode) + "-" +
                                              std::to_string(o.participants) + ".perf.data",
                                          pids);
  }
  room.run(r.load);
  perf.reset();
  json after = room.stats();
  int64_t coturn_after = coturn > 0 ? process_cpu_ns(coturn) : 0;
  write_frame(servers.control, {{"op", "quit"}});
  r.sfu_socket_drops = udp_drops(sfu) - sfu_drops;
  r.client_socket_drops = udp_drops(clients) - client_drops;
  if (mode != RelayMode::kDirect)
    r.relay_socket_drops = udp_drops({}, relay_first, relay_last) - relay_drops;

  r.forwarded =
      after.at("forwarded_packets").get<double>() - before.at("forwarded_packets").get<double>();
  double process = seconds(after, before, "process_cpu_ns");
  double media_thread = seconds(after, before, "thread_cpu_ns");
  if (mode == RelayMode::kDirect) {
    r.sfu_cpu_seconds = process;  // no TURN
  } else if (mode == RelayMode::kCoturn) {
    r.sfu_cpu_seconds = process;
    r.turn_cpu_seconds = static_cast<double>(coturn_after - coturn_before) / 1e9;
  } else {
    r.sfu_cpu_seconds = media_thread;
    r.turn_cpu_seconds = process - media_thread;  // turnd's workers (0 for direct)
  }
  r.cpu_seconds = r.sfu_cpu_seconds + r.turn_cpu_seconds;
  const LatencyHistogram& latency = room.latency();
  r.latency_samples = latency.count();
  r.p50_us = latency.percentile_us(0.50);
  r.p99_us = latency.percentile_us(0.99);
  if (after.contains("turn")) r.turn = counter_delta(after.at("turn"), before.at("turn"));
  check(r);
  return r;
}

}  // namespace turnd::sfu::bench

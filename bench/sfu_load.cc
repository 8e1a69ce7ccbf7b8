// sfu_load: the SFU under a synthetic conference load on real UDP sockets.
//
//   sfu_load [--participants 2,4,8,16] [--seconds 10] [--audio-pps 50]
//            [--audio-bytes 100] [--video-pps 300] [--video-bytes 1100]
//            [--fps 30] [--publishers 0] [--verify-every 1]
//
// For each room size it starts the SFU's media plane in a process of its own
// (this binary with --serve, bench/sfu_load_server.h: turnd's libevent loop,
// UdpListener and DatagramIo around the MediaEndpoint and Conference, on
// 127.0.0.1), joins that many simulated browsers (bench/sfu_load_clients.h:
// access code, SDP, ICE, DTLS, SRTP, two sockets each), lets every one of
// them (or the first --publishers) publish audio and video for --seconds,
// and prints one row per size:
//
//   forwarded packets per second and per CPU-second of the SFU's media
//   thread (CLOCK_THREAD_CPUTIME_ID; the kernel's loopback work for the
//   SFU's sends is charged to it), loss at the subscribers (received vs
//   sent by the others), kernel drops on the SFU's and the participants'
//   sockets (/proc/net/udp), heap allocations per forwarded packet on the
//   media thread (bench/alloc_count.h), and the SFU process's heap (malloc
//   in use) and RSS growth per participant, from before the first join to
//   the end of the run.
//
// The participants share the machine with the SFU: compare room sizes and
// runs on one machine, not absolute rates across machines.
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bench/control_channel.h"
#include "bench/sfu_load_clients.h"
#include "bench/sfu_load_server.h"
#include "bench/udp_pc_transport.h"
#include "turnd/common/log.h"

namespace turnd::sfu::bench {
namespace {

using nlohmann::json;

struct Args {
  std::vector<int> sizes{2, 4, 8, 16};
  LoadOptions load;
};

std::vector<int> parse_sizes(const std::string& list) {
  std::vector<int> out;
  std::stringstream s(list);
  for (std::string item; std::getline(s, item, ',');) out.push_back(std::stoi(item));
  return out;
}

Args parse_args(int argc, char** argv) {
  Args a;
  LoadOptions& o = a.load;
  using Set = std::function<void(const std::string&)>;
  const std::map<std::string, Set> options{
      {"--participants", [&](const std::string& v) { a.sizes = parse_sizes(v); }},
      {"--seconds", [&](const std::string& v) { o.seconds = std::stod(v); }},
      {"--audio-pps", [&](const std::string& v) { o.audio_pps = std::stoi(v); }},
      {"--audio-bytes", [&](const std::string& v) { o.audio_bytes = std::stoul(v); }},
      {"--video-pps", [&](const std::string& v) { o.video_pps = std::stoi(v); }},
      {"--video-bytes", [&](const std::string& v) { o.video_bytes = std::stoul(v); }},
      {"--fps", [&](const std::string& v) { o.fps = std::stoi(v); }},
      {"--publishers", [&](const std::string& v) { o.publishers = std::stoi(v); }},
      {"--verify-every", [&](const std::string& v) { o.verify_every = std::stoul(v); }},
  };
  for (int i = 1; i < argc; i += 2) {
    auto it = options.find(argv[i]);
    if (it == options.end() || i + 1 == argc) {
      throw std::invalid_argument(std::string("unknown option or missing value: ") + argv[i]);
    }
    it->second(argv[i + 1]);
  }
  for (int n : a.sizes) {
    if (n < 2 || n > 200) throw std::invalid_argument("room sizes are 2..200");
  }
  if (o.publishers < 0) throw std::invalid_argument("--publishers: 0 (all) or more");
  if (o.seconds <= 0 || o.audio_pps <= 0 || o.video_pps <= 0 || o.fps <= 0 || o.audio_bytes < 32 ||
      o.video_bytes < 32 || o.video_bytes > 1400 || o.verify_every == 0) {
    throw std::invalid_argument("rates, sizes (32..1400 bytes) and times must be positive");
  }
  return a;
}

// NOLINTNEXTLINE(bugprone-exception-escape): json members, made once per room
struct Row {
  int n = 0;
  LoadResult load;
  json baseline, before, after;
  uint64_t sfu_drops = 0;
};

double d(const json& j, const char* key) {
  return j.at(key).get<double>();
}

void print_header() {
  std::printf("%4s %4s %9s %10s %10s %7s %11s %10s %7s %11s %10s %10s %9s %8s %7s\n", "room",
              "pubs", "in pkt/s", "fwd pkt/s", "fwd Mbit/s", "SFU CPU", "fwd/CPU-s", "vid/core",
              "loss %", "drops s/c", "allocs/fwd", "heap KiB/p", "RSS KiB/p", "pkt/send", "client");
}

// vid/core: video consumers (one video stream forwarded to one subscriber)
// the room has, divided by the share of a core the media thread used for the
// whole room (audio included): what one core would carry of this mix.
void print_row(const Row& r, int publishers) {
  double wall = r.load.media_seconds;  // rates over the sending time; the drain adds ~nothing
  int pubs = publishers > 0 ? std::min(publishers, r.n) : r.n;
  double video_consumers = static_cast<double>(pubs) * (r.n - 1);
  double cpu = (d(r.after, "thread_cpu_ns") - d(r.before, "thread_cpu_ns")) / 1e9;
  double fwd = d(r.after, "forwarded_packets") - d(r.before, "forwarded_packets");
  double bytes = d(r.after, "forwarded_bytes") - d(r.before, "forwarded_bytes");
  double allocs = d(r.after, "allocations") - d(r.before, "allocations");
  double calls = d(r.after, "send_calls") - d(r.before, "send_calls");
  double sent = d(r.after, "datagrams_sent") - d(r.before, "datagrams_sent");
  double loss = r.load.expected == 0 ? 0
                                     : 100.0 * (1.0 - static_cast<double>(r.load.received) /
                                                          static_cast<double>(r.load.expected));
  char drops[32];
  std::snprintf(drops, sizeof(drops), "%llu/%llu", static_cast<unsigned long long>(r.sfu_drops),
                static_cast<unsigned long long>(r.load.client_drops));
  std::printf(
      "%4d %4d %9.0f %10.0f %10.1f %6.1f%% %11.0f %10.0f %7.2f %11s %10.3f %10.0f %9.0f %8.1f "
      "%6.1f%%\n",
      r.n, pubs, static_cast<double>(r.load.published) / wall, fwd / wall, bytes * 8 / wall / 1e6,
      100 * cpu / wall, cpu > 0 ? fwd / cpu : 0.0, cpu > 0 ? video_consumers * wall / cpu : 0.0,
      loss, drops, fwd > 0 ? allocs / fwd : 0.0,
      (d(r.after, "heap_bytes") - d(r.baseline, "heap_bytes")) / 1024 / r.n,
      (d(r.after, "rss_kb") - d(r.baseline, "rss_kb")) / r.n, calls > 0 ? sent / calls : 0.0,
      100 * static_cast<double>(r.load.client_cpu_ns) / 1e9 / wall);
  if (r.load.srtp_errors != 0) {
    std::printf("     (%llu forwarded packets did not decrypt at the subscribers)\n",
                static_cast<unsigned long long>(r.load.srtp_errors));
  }
  std::fflush(stdout);
}

// Stops the SFU process after a failure; says how it ended if it did by itself.
std::string sfu_exit(pid_t pid) {
  int status = 0;
  ::usleep(100'000);  // a crash closes the channel a moment before the exit status is there
  if (::waitpid(pid, &status, WNOHANG) == pid) {
    if (WIFSIGNALED(status)) {
      return std::string(" (the SFU process was killed by signal ") +
             std::to_string(WTERMSIG(status)) + ", " + strsignal(WTERMSIG(status)) + ")";
    }
    return " (the SFU process exited with " + std::to_string(WEXITSTATUS(status)) + ")";
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  return "";
}

Row run_room(int n, const LoadOptions& options) {
  Row row;
  row.n = n;
  int control = -1;
  pid_t pid = spawn_server({}, control);
  try {
    std::optional<json> ready = read_frame(control);
    if (!ready || ready->value("op", "") != "ready") throw std::runtime_error("SFU did not start");
    row.baseline = *ready;
    LoadOptions o = options;
    o.participants = n;
    auto sfu_port = ready->at("port").get<uint16_t>();
    LoadRoom room(
        control,
        [sfu_port](int, Pc, stun::MacContext&) {
          return std::make_unique<UdpPcTransport>(sfu_port);
        },
        o);
    room.setup();
    auto ports = room.ports();
    std::set<uint16_t> clients(ports.begin(), ports.end());
    std::set<uint16_t> sfu{ready->at("port").get<uint16_t>()};
    uint64_t sfu_drops = udp_drops(sfu), client_drops = udp_drops(clients);
    write_frame(control, {{"op", "count"}, {"on", true}});
    row.before = room.stats();
    room.run(row.load);
    row.after = room.stats();
    write_frame(control, {{"op", "count"}, {"on", false}});
    row.sfu_drops = udp_drops(sfu) - sfu_drops;
    row.load.client_drops = udp_drops(clients) - client_drops;
    write_frame(control, {{"op", "quit"}});
  } catch (const std::exception& e) {
    std::string how = sfu_exit(pid);
    ::close(control);
    throw std::runtime_error("room of " + std::to_string(n) + ": " + e.what() + how);
  }
  ::waitpid(pid, nullptr, 0);
  ::close(control);
  return row;
}

// Memory that grows with the room, without what any SFU process pays once
// (libraries' first use, the receive pool's pages): the slope between the
// smallest and the largest room.
void print_marginal(const std::vector<Row>& rows) {
  if (rows.size() < 2) return;
  const Row& a = rows.front();
  const Row& b = rows.back();
  if (b.n == a.n) return;
  double heap = (d(b.after, "heap_bytes") - d(b.baseline, "heap_bytes") -
                 (d(a.after, "heap_bytes") - d(a.baseline, "heap_bytes"))) /
                1024 / (b.n - a.n);
  double rss = (d(b.after, "rss_kb") - d(b.baseline, "rss_kb") -
                (d(a.after, "rss_kb") - d(a.baseline, "rss_kb"))) /
               (b.n - a.n);
  std::printf("\nEach participant more (rooms of %d -> %d): heap %.0f KiB, RSS %.0f KiB\n", a.n,
              b.n, heap, rss);
}

int run(int argc, char** argv) {
  log::configure(log::Level::kWarning, "", true);
  Args args = parse_args(argc, argv);
  const LoadOptions& o = args.load;
  std::printf(
      "sfu_load: %s publishes audio %d pkt/s x %zu B and video %d pkt/s x %zu B "
      "(%d fps) for %.0f s; every other participant subscribes; 127.0.0.1\n",
      o.publishers > 0 ? ("each of the first " + std::to_string(o.publishers)).c_str()
                       : "each participant",
      o.audio_pps, o.audio_bytes, o.video_pps, o.video_bytes, o.fps, o.seconds);
  print_header();
  std::vector<Row> rows;
  for (int n : args.sizes) {
    rows.push_back(run_room(n, o));
    print_row(rows.back(), o.publishers);
  }
  print_marginal(rows);
  std::printf(
      "\nSFU CPU: its media thread (CLOCK_THREAD_CPUTIME_ID) / wall time; fwd/CPU-s: forwarded "
      "packets per CPU-second of it.\n"
      "vid/core: video consumers (a video stream to one subscriber) in the room per core-second "
      "of the media thread, audio included.\n"
      "drops s/c: kernel receive-buffer drops on the SFU's / the participants' sockets. "
      "pkt/send: datagrams per send syscall of the SFU.\n"
      "heap, RSS: growth of the SFU process from before the first join to the end, per "
      "participant. client: the load generator's CPU.\n");
  return 0;
}

}  // namespace
}  // namespace turnd::sfu::bench

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--serve") {
    return turnd::sfu::bench::serve_sfu(std::atoi(argv[2]));
  }
  try {
    return turnd::sfu::bench::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sfu_load: %s\n", e.what());
    return 1;
  }
}

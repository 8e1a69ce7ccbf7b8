// sfu_turn_load: simulated browsers reach the SFU through TURN over TCP, with
// the same load in each relay mode, in one run (issue 5):
//
//   sfu_turn_load [--participants 8] [--seconds 10] [--relay-threads 2]
//                 [--modes direct,inprocess,kernel,coturn]
//                 [--coturn /usr/bin/turnserver] [--audio-pps 50]
//                 [--video-pps 300] [--video-bytes 1100] [--keep-files 0|1]
//                 [--perf DIR]  (perf record -g of the servers, DIR/MODE-ROOM.perf.data)
//
// For each room size and each mode (bench/sfu_turn_modes.h: direct UDP,
// turnd with the in-process relay, turnd with sfu-inprocess-relay=off,
// coturn relaying to the SFU over loopback), fresh server processes on
// 127.0.0.1 and that many participants (bench/sfu_load_clients.h: access
// code, SDP, ICE with a relay candidate's priority behind TURN, DTLS, SRTP;
// every one publishes audio and video and subscribes to all the others).
// One row per mode: RTP packets the subscribers received and decrypted,
// what the SFU forwarded, loss, the server side's CPU (turnd: all threads of
// its process, split into the SFU's media thread and the TURN workers;
// coturn: coturn's process plus the SFU's), delivered packets per server
// CPU-second, one-way delay p50/p99 and what TURN adds to the direct path;
// then the ratios inprocess/kernel and inprocess/coturn of delivered
// packets per CPU-second. The goal: inprocess >= 1.5x kernel.
//
// `sfu_turn_load --serve FD [--turn CONFIG]` is the server process it
// starts (bench/sfu_load_server.h, bench/sfu_turn_server.h).
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench/sfu_load_server.h"
#include "bench/sfu_turn_modes.h"
#include "bench/sfu_turn_server.h"
#include "turnd/common/log.h"

namespace turnd::sfu::bench {
namespace {

struct Args {
  std::vector<int> sizes{8};
  std::vector<RelayMode> modes{RelayMode::kDirect, RelayMode::kInProcess, RelayMode::kKernel,
                               RelayMode::kCoturn};
  ModeSettings settings;
  bool keep_files = false;
};

std::vector<std::string> split(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream s(list);
  for (std::string item; std::getline(s, item, ',');) out.push_back(item);
  return out;
}

Args parse_args(int argc, char** argv) {
  Args a;
  LoadOptions& o = a.settings.load;
  using Set = std::function<void(const std::string&)>;
  const std::map<std::string, Set> options{
      {"--participants",
       [&](const std::string& v) {
         a.sizes.clear();
         for (const std::string& n : split(v)) a.sizes.push_back(std::stoi(n));
       }},
      {"--modes",
       [&](const std::string& v) {
         a.modes.clear();
         for (const std::string& m : split(v)) a.modes.push_back(parse_mode(m));
       }},
      {"--seconds", [&](const std::string& v) { o.seconds = std::stod(v); }},
      {"--relay-threads",
       [&](const std::string& v) {
         a.settings.relay_threads = static_cast<unsigned>(std::stoul(v));
       }},
      {"--coturn", [&](const std::string& v) { a.settings.coturn_binary = v; }},
      {"--audio-pps", [&](const std::string& v) { o.audio_pps = std::stoi(v); }},
      {"--video-pps", [&](const std::string& v) { o.video_pps = std::stoi(v); }},
      {"--video-bytes", [&](const std::string& v) { o.video_bytes = std::stoul(v); }},
      {"--keep-files", [&](const std::string& v) { a.keep_files = v == "1"; }},
      {"--perf", [&](const std::string& v) { a.settings.perf_dir = v; }},
  };
  for (int i = 1; i < argc; i += 2) {
    auto it = options.find(argv[i]);
    if (it == options.end() || i + 1 == argc) {
      throw std::invalid_argument(std::string("unknown option or missing value: ") + argv[i]);
    }
    it->second(argv[i + 1]);
  }
  for (int n : a.sizes) {
    if (n < 2 || n > 64) throw std::invalid_argument("room sizes are 2..64");
  }
  if (o.seconds <= 0 || o.audio_pps <= 0 || o.video_pps <= 0 || o.video_bytes < 32 ||
      o.video_bytes > 1400 || a.settings.relay_threads == 0 || a.modes.empty()) {
    throw std::invalid_argument(
        "rates, sizes (32..1400 bytes), times and threads must be positive");
  }
  return a;
}

double per_cpu_second(const ModeResult& r) {
  return r.cpu_seconds > 0 ? static_cast<double>(r.load.received) / r.cpu_seconds : 0;
}

double loss_percent(const LoadResult& l) {
  if (l.expected == 0) return 0;
  return 100.0 * (1.0 - static_cast<double>(l.received) / static_cast<double>(l.expected));
}

void print_header(int n, const LoadOptions& o, unsigned threads) {
  std::printf("\nroom of %d, %.0f s, relay threads %u, load average %s\n", n, o.seconds, threads,
              [] {
                std::ifstream in("/proc/loadavg");
                std::string a, b, c;
                in >> a >> b >> c;
                return a + " " + b + " " + c;
              }()
                  .c_str());
  std::printf("%-9s %10s %10s %7s %6s %7s %7s %7s %11s %7s %7s %7s %7s %7s\n", "mode", "delivered",
              "SFU fwd", "loss %", "drops", "CPU s", "SFU s", "TURN s", "deliv/CPU-s", "p50 ms",
              "p99 ms", "+p50 ms", "+p99 ms", "client");
}

void print_row(const ModeResult& r, const ModeResult* direct) {
  auto added = [&](double mode, double base) {
    return direct != nullptr && mode >= 0 && base >= 0 ? (mode - base) / 1000 : 0.0;
  };
  double client = r.load.media_seconds > 0
                      ? 100 * static_cast<double>(r.load.client_cpu_ns) / 1e9 / r.load.media_seconds
                      : 0;
  std::printf(
      "%-9s %10llu %10.0f %7.2f %6llu %7.2f %7.2f %7.2f %11.0f %7.2f %7.2f %7.2f %7.2f %6.0f%%\n",
      mode_name(r.mode), static_cast<unsigned long long>(r.load.received), r.forwarded,
      loss_percent(r.load), static_cast<unsigned long long>(r.load.send_drops), r.cpu_seconds,
      r.sfu_cpu_seconds, r.turn_cpu_seconds, per_cpu_second(r), r.p50_us / 1000, r.p99_us / 1000,
      added(r.p50_us, direct ? direct->p50_us : -1), added(r.p99_us, direct ? direct->p99_us : -1),
      client);
  // Where packets went missing, when they did.
  const nlohmann::json& t = r.turn;
  auto turn = [&](const char* key) {
    return t.is_object() ? t.value(key, int64_t{0}) : int64_t{0};
  };
  if (r.load.received < r.load.expected || r.load.send_drops != 0) {
    std::printf(
        "          lost %llu: kernel drops SFU socket %llu, participants' sockets %llu, relay "
        "sockets "
        "%llu; turnd bridge %lld, TURN %lld; participants' transports %llu\n",
        static_cast<unsigned long long>(r.load.expected -
                                        std::min(r.load.expected, r.load.received)),
        static_cast<unsigned long long>(r.sfu_socket_drops),
        static_cast<unsigned long long>(r.client_socket_drops),
        static_cast<unsigned long long>(r.relay_socket_drops),
        static_cast<long long>(turn("bridge_dropped")),
        static_cast<long long>(turn("dropped_packets")),
        static_cast<unsigned long long>(r.load.send_drops));
  }
  std::fflush(stdout);
}

const ModeResult* find(const std::vector<ModeResult>& rows, RelayMode mode) {
  for (const ModeResult& r : rows) {
    if (r.mode == mode) return &r;
  }
  return nullptr;
}

std::string ratio(const ModeResult* a, const ModeResult* b) {
  if (a == nullptr || b == nullptr || per_cpu_second(*b) == 0) return "n/a";
  char text[32];
  std::snprintf(text, sizeof(text), "%.2fx", per_cpu_second(*a) / per_cpu_second(*b));
  return text;
}

int run(int argc, char** argv) {
  log::configure(log::Level::kWarning, "", true);
  Args args = parse_args(argc, argv);
  const LoadOptions& o = args.settings.load;
  char dir[] = "/tmp/sfu_turn_load.XXXXXX";
  if (::mkdtemp(dir) == nullptr) throw std::runtime_error("mkdtemp");
  args.settings.scratch_dir = dir;
  std::printf(
      "sfu_turn_load: each participant publishes audio %d pkt/s x %zu B and video %d pkt/s x %zu "
      "B for %.0f s and subscribes to all others; TURN over TCP on 127.0.0.1\n",
      o.audio_pps, o.audio_bytes, o.video_pps, o.video_bytes, o.seconds);
  std::vector<std::string> summary;
  int status = 0;
  for (int n : args.sizes) {
    args.settings.load.participants = n;
    print_header(n, o, args.settings.relay_threads);
    std::vector<ModeResult> rows;
    for (RelayMode mode : args.modes) {
      try {
        rows.push_back(run_mode(mode, args.settings));
        print_row(rows.back(), find(rows, RelayMode::kDirect));
      } catch (const std::exception& e) {
        std::printf("%-9s failed: %s\n", mode_name(mode), e.what());
        status = 1;
      }
    }
    const ModeResult* inprocess = find(rows, RelayMode::kInProcess);
    std::string line =
        "room of " + std::to_string(n) + ": delivered packets per server CPU-second, " +
        "inprocess/kernel " + ratio(inprocess, find(rows, RelayMode::kKernel)) +
        " (goal 1.50x), inprocess/coturn " + ratio(inprocess, find(rows, RelayMode::kCoturn));
    std::printf("%s\n", line.c_str());
    summary.push_back(line);
  }
  std::printf(
      "\ndelivered: RTP packets the subscribers received and decrypted; SFU fwd: the SFU's count; "
      "drops: datagrams the participants' transports could not take.\nCPU s: the server side "
      "(turnd modes: its whole process = SFU media thread + TURN workers; coturn: coturn's process "
      "+ the SFU's process). p50/p99: one-way delay publisher -> subscriber; +: added to direct.\n"
      "client: the load generator's CPU (one thread) during the media phase.\n");
  if (args.sizes.size() > 1) {
    std::printf("\n");
    for (const std::string& line : summary) std::printf("%s\n", line.c_str());
  }
  if (!args.keep_files) {
    std::filesystem::remove_all(dir);
  } else {
    std::printf("files kept in %s\n", dir);
  }
  return status;
}

}  // namespace
}  // namespace turnd::sfu::bench

int main(int argc, char** argv) {
  using namespace turnd::sfu::bench;
  if (argc >= 3 && std::string(argv[1]) == "--serve") {
    int fd = std::atoi(argv[2]);
    if (argc == 5 && std::string(argv[3]) == "--turn") return serve_sfu_behind_turn(fd, argv[4]);
    return serve_sfu(fd);
  }
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sfu_turn_load: %s\n", e.what());
    return 1;
  }
}

#include "bench/sfu_media_plane.h"

#include <malloc.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "bench/alloc_count.h"
#include "bench/control_channel.h"
#include "db/code_hash.h"

namespace turnd::sfu::bench {
namespace {

using nlohmann::json;

int64_t rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  int64_t value = 0;
  while (status >> key) {
    if (key == "VmRSS:") {
      status >> value;
      return value;
    }
    status.ignore(1 << 10, '\n');
  }
  return 0;
}

// A free port on 127.0.0.1 for the media socket (turnd's UdpListener binds
// the address it is given).
uint16_t free_udp_port() {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    throw std::runtime_error("no free UDP port");
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

std::vector<db::Room> load_rooms() {
  db::Room room;
  room.id = 1;
  room.slug = kLoadRoom;
  room.display_name = "Load";
  db::CodeHashParams fast;  // the code check is not what is measured
  fast.scrypt_n = 1024;
  room.participant_code_hash = db::hash_code(kLoadCode, fast);
  return {room};
}

}  // namespace

int64_t cpu_ns(clockid_t clock) noexcept {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

void ControlSignal::send(conference::ConnectionId c, std::string text) {
  write_frame(fd_, {{"op", "send"}, {"c", c}, {"text", std::move(text)}});
}

void ControlSignal::close(conference::ConnectionId c) {
  write_frame(fd_, {{"op", "close"}, {"c", c}});
}

MediaPlane::MediaPlane(int control_fd, SocketAddress media, server::SfuBridge* bridge,
                       ExtraStats extra)
    : control_fd_(control_fd),
      certificate_(dtls::DtlsCertificate::generate()),
      dtls_(certificate_),
      signal_(control_fd),
      bridge_(bridge),
      extra_(std::move(extra)),
      address_(media.port() != 0 ? media : media.with_port(free_udp_port())) {
  rooms_.replace(load_rooms());
  codes_ = std::make_unique<conference::ScryptCodeVerifier>(
      [this](std::function<void()> task) { base_.post(std::move(task)); });
  conference::ConferenceOptions options;
  options.udp_candidates = {address_};
  conference_ = std::make_unique<conference::Conference>(
      conference::ConferenceDeps{clock_, rooms_, signal_, *codes_, endpoint_,
                                 transport::TransportDeps{clock_, dtls_, srtp_, mac_, endpoint_},
                                 nullptr},
      options);
  udp_ = std::make_unique<net::UdpListener>(base_, address_, io_, endpoint_);
  if (bridge_ != nullptr) bridge_->attach_sfu(base_, endpoint_);
  timer_ = net::Event::periodic(base_, std::chrono::milliseconds(50),
                                [this] { conference_->on_timer(); });
  control_ = net::Event::readable(base_, control_fd_, [this] { on_control(); });
}

// As SfuService::stop: the bridge lets go of this loop, then the conference
// ends everyone's visit on this thread. The caller has stopped the workers.
MediaPlane::~MediaPlane() {
  if (bridge_ != nullptr) bridge_->detach_sfu();
  conference_.reset();
  codes_.reset();
}

void MediaPlane::run() {
  while (!base_.stopped()) {
    base_.run_once();
    io_.flush();
    if (bridge_ != nullptr) bridge_->flush_sfu();  // one wakeup per worker per round
  }
}

// One control frame per callback (the watch is level-triggered).
void MediaPlane::on_control() {
  std::optional<json> m = read_frame(control_fd_);
  if (!m) return base_.stop();  // the load generator went away
  const std::string op = m->value("op", "");
  if (op == "open") {
    auto c = m->at("c").get<conference::ConnectionId>();
    conference_->on_open(c, *SocketAddress::parse("127.0.0.1:" + std::to_string(c)));
  } else if (op == "message") {
    conference_->on_message(m->at("c").get<conference::ConnectionId>(),
                            m->at("text").get<std::string>());
  } else if (op == "count") {
    count_allocations(m->at("on").get<bool>());
  } else if (op == "stats") {
    write_frame(control_fd_, stats());
  } else if (op == "quit") {
    base_.stop();
  }
}

json MediaPlane::stats() const {
  struct mallinfo2 heap = mallinfo2();
  const auto& c = conference_->counters();
  json s{{"op", "stats"},
         {"thread_cpu_ns", cpu_ns(CLOCK_THREAD_CPUTIME_ID)},
         {"process_cpu_ns", cpu_ns(CLOCK_PROCESS_CPUTIME_ID)},
         {"participants", conference_->participant_count()},
         {"forwarded_packets", c.forwarded_packets},
         {"forwarded_bytes", c.forwarded_bytes},
         {"plis", c.plis},
         {"unknown_source", endpoint_.counters().unknown_source.get()},
         {"datagrams_sent", io_.datagrams_sent.get()},
         {"send_calls", io_.send_calls.get()},
         {"send_errors", io_.send_errors.get()},
         {"allocations", allocations_counted()},
         {"heap_bytes", heap.uordblks + heap.hblkhd},
         {"rss_kb", rss_kb()}};
  if (extra_) extra_(s);
  return s;
}

}  // namespace turnd::sfu::bench

#include "bench/sfu_load_server.h"

#include <malloc.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "bench/alloc_count.h"
#include "bench/control_channel.h"
#include "db/code_hash.h"
#include "sfu/conference/conference.h"
#include "turnd/common/log.h"
#include "turnd/net/datagram_io.h"
#include "turnd/net/event_loop.h"
#include "turnd/net/udp_listener.h"

namespace turnd::sfu::bench {
namespace {

using nlohmann::json;

// The conference's messages go back over the control channel.
class ControlSignal final : public conference::SignalOut {
 public:
  explicit ControlSignal(int fd) : fd_(fd) {}
  void send(conference::ConnectionId c, std::string text) override {
    write_frame(fd_, {{"op", "send"}, {"c", c}, {"text", std::move(text)}});
  }
  void close(conference::ConnectionId c) override { write_frame(fd_, {{"op", "close"}, {"c", c}}); }

 private:
  int fd_;
};

int64_t cpu_ns(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

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

// Everything the media thread owns, as in turnd/server/sfu_service.cc.
struct MediaPlane {
  explicit MediaPlane(int control_fd);
  json stats() const;
  void on_control();

  int control_fd;
  SystemClock clock;
  net::EventBase base;
  net::DatagramIo io;
  srtp::SrtpLibrary srtp;
  dtls::DtlsCertificate certificate = dtls::DtlsCertificate::generate();
  dtls::DtlsContext dtls{certificate};
  stun::MacContext mac;
  router::MediaEndpoint endpoint;
  conference::RoomDirectory rooms;
  ControlSignal signal{control_fd};
  std::unique_ptr<conference::CodeVerifier> codes;
  std::unique_ptr<conference::Conference> conference;
  SocketAddress address;
  std::unique_ptr<net::UdpListener> udp;
  std::unique_ptr<net::Event> timer, control;
};

MediaPlane::MediaPlane(int fd) : control_fd(fd) {
  rooms.replace(load_rooms());
  address = *SocketAddress::parse("127.0.0.1:" + std::to_string(free_udp_port()));
  codes = std::make_unique<conference::CodeVerifier>(
      [this](std::function<void()> task) { base.post(std::move(task)); });
  conference::ConferenceOptions options;
  options.udp_candidates = {address};
  conference = std::make_unique<conference::Conference>(
      conference::ConferenceDeps{clock, rooms, signal, *codes, endpoint,
                                 transport::TransportDeps{clock, dtls, srtp, mac, endpoint},
                                 nullptr},
      options);
  udp = std::make_unique<net::UdpListener>(base, address, io, endpoint);
  timer =
      net::Event::periodic(base, std::chrono::milliseconds(50), [this] { conference->on_timer(); });
  control = net::Event::readable(base, control_fd, [this] { on_control(); });
}

// One control frame per callback (the watch is level-triggered).
void MediaPlane::on_control() {
  std::optional<json> m = read_frame(control_fd);
  if (!m) return base.stop();  // the load generator went away
  const std::string op = m->value("op", "");
  if (op == "open") {
    auto c = m->at("c").get<conference::ConnectionId>();
    conference->on_open(c, *SocketAddress::parse("127.0.0.1:" + std::to_string(c)));
  } else if (op == "message") {
    conference->on_message(m->at("c").get<conference::ConnectionId>(),
                           m->at("text").get<std::string>());
  } else if (op == "count") {
    count_allocations(m->at("on").get<bool>());
  } else if (op == "stats") {
    write_frame(control_fd, stats());
  } else if (op == "quit") {
    base.stop();
  }
}

json MediaPlane::stats() const {
  struct mallinfo2 heap = mallinfo2();
  const auto& c = conference->counters();
  return {{"op", "stats"},
          {"thread_cpu_ns", cpu_ns(CLOCK_THREAD_CPUTIME_ID)},
          {"process_cpu_ns", cpu_ns(CLOCK_PROCESS_CPUTIME_ID)},
          {"participants", conference->participant_count()},
          {"forwarded_packets", c.forwarded_packets},
          {"forwarded_bytes", c.forwarded_bytes},
          {"plis", c.plis},
          {"unknown_source", endpoint.counters().unknown_source.get()},
          {"datagrams_sent", io.datagrams_sent.get()},
          {"send_calls", io.send_calls.get()},
          {"send_errors", io.send_errors.get()},
          {"allocations", allocations_counted()},
          {"heap_bytes", heap.uordblks + heap.hblkhd},
          {"rss_kb", rss_kb()}};
}

}  // namespace

int serve_sfu(int control_fd) {
  try {
    net::init_libevent_threads();
    log::configure(log::Level::kWarning, "", true);
    MediaPlane plane(control_fd);
    json ready = plane.stats();
    ready["op"] = "ready";
    ready["port"] = plane.address.port();
    write_frame(control_fd, ready);
    while (!plane.base.stopped()) {  // SfuService's media thread
      plane.base.run_once();
      plane.io.flush();
    }
    plane.conference.reset();  // on this thread, like SfuService::stop
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sfu_load --serve: %s\n", e.what());
    return 1;
  }
}

}  // namespace turnd::sfu::bench

// An SFU room in memory, for the forwarding micro-benchmark and the tests
// that need media through real DTLS/SRTP sessions: a real Conference on a
// real MediaEndpoint, n simulated browsers (bench/sfu_browser.h) that joined
// with an access code, published an Opus and a VP8 track, answered the SFU's
// offers and completed ICE and DTLS; datagrams move through in-memory wires.
#pragma once

#include <array>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "bench/sfu_browser.h"
#include "sfu/conference/conference.h"
#include "sfu/conference/scrypt_code_verifier.h"

namespace turnd::sfu::bench {

inline constexpr const char* kRoom = "bench";
inline constexpr const char* kCode = "bench-code-2468";

// Code checks finish on the verifier's thread and are posted here.
struct Mailbox {
  void post(std::function<void()> task) {
    std::lock_guard lock(mutex);
    tasks.push_back(std::move(task));
    wake.notify_one();
  }
  void run_one() {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex);
      if (!wake.wait_for(lock, std::chrono::seconds(30), [&] { return !tasks.empty(); })) {
        throw std::runtime_error("no code check result within 30 s");
      }
      task = std::move(tasks.front());
      tasks.pop_front();
    }
    task();
  }
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::function<void()>> tasks;
};

struct Signal final : conference::SignalOut {
  void send(conference::ConnectionId c, std::string text) override {
    out.emplace_back(c, std::move(text));
  }
  void close(conference::ConnectionId) override {}
  std::deque<std::pair<conference::ConnectionId, std::string>> out;
};

// What the SFU sends to one browser PeerConnection: kept for the browser
// during setup, only counted while timing.
struct Sink {
  bool capture = true;
  std::deque<std::vector<std::byte>> datagrams;
  uint64_t packets = 0, bytes = 0;
};

class SinkLink final : public turn::ClientLink {
 public:
  explicit SinkLink(Sink& sink) : sink_(sink) {}
  void send(Bytes m) noexcept override {
    sink_.packets++;
    sink_.bytes += m.size();
    if (sink_.capture) sink_.datagrams.emplace_back(m.begin(), m.end());
  }
  std::unique_ptr<ClientLink> retain() const override { return std::make_unique<SinkLink>(sink_); }

 private:
  Sink& sink_;
};

// One PeerConnection's end of the (simulated) network.
struct Wire {
  turn::FiveTuple tuple;
  Sink sink;
  SinkLink link{sink};
};

struct Participant {
  std::unique_ptr<SimulatedBrowser> browser;
  std::array<Wire, 2> wires;  // by Pc
};

struct Packet {
  size_t participant = 0;
  size_t length = 0;
  alignas(16) std::array<std::byte, 1600> bytes;
};

// A conference with `n` connected participants, on a real MediaEndpoint.
class Room {
 public:
  Room(int n, const BrowserOptions& browsers);
  ~Room() { conference_.reset(); }

  // Fills `batch` with the next publisher packets (round robin), protected.
  void prepare(std::vector<Packet>& batch, Media media);
  void deliver(Packet& p) noexcept {
    Wire& w = people_[p.participant]->wires[0];
    endpoint_.on_client_packet(w.tuple, w.link, MutableBytes(p.bytes.data(), p.length));
  }
  void capture(bool on);
  size_t size() const noexcept { return people_.size(); }
  SimulatedBrowser& browser(size_t i) { return *people_[i]->browser; }
  Wire& wire(size_t i, Pc pc) { return people_[i]->wires[static_cast<size_t>(pc)]; }
  // A datagram from participant i's `pc` to the SFU.
  void to_sfu(size_t i, Pc pc, MutableBytes datagram) noexcept {
    Wire& w = wire(i, pc);
    endpoint_.on_client_packet(w.tuple, w.link, datagram);
  }
  const conference::ConferenceCounters& counters() const { return conference_->counters(); }

 private:
  void add(int i, const BrowserOptions& browsers);
  void join(size_t i);
  void pump_signals();
  void pump_media();
  void check_forwarding(Media media);

  ManualClock clock_;
  conference::RoomDirectory rooms_;
  Signal signal_;
  Mailbox mailbox_;
  stun::MacContext mac_;
  srtp::SrtpLibrary srtp_;
  dtls::DtlsCertificate certificate_ = dtls::DtlsCertificate::generate();
  dtls::DtlsContext dtls_{certificate_};
  router::MediaEndpoint endpoint_;
  conference::ScryptCodeVerifier codes_{
      [this](std::function<void()> t) { mailbox_.post(std::move(t)); }};
  std::unique_ptr<conference::Conference> conference_;
  std::vector<std::unique_ptr<Participant>> people_;
  std::deque<std::pair<Wire*, std::vector<std::byte>>> to_sfu_;
  size_t next_publisher_ = 0;
};

}  // namespace turnd::sfu::bench

// The SFU's forwarding path, without sockets: a publisher's SRTP packet goes
// into the MediaEndpoint as a datagram from its 5-tuple, and through
// everything the media thread does with it — path lookup, SRTP unprotect,
// Conference::on_rtp, the NACK history, and per subscriber a copy, SRTP
// protect and the PacketOut (a ClientLink that counts what would go on the
// wire). Rooms of 2, 5, 10 and 25 participants, each a simulated browser
// (bench/sfu_browser.h) that joined with an access code, published an Opus
// and a VP8 track, answered the SFU's offers and completed ICE and real DTLS
// handshakes in setup.
//
// Reports forwarded packets/s (items_per_second), plain RTP bytes forwarded/s,
// publisher packets in/s, and heap allocations per publisher packet and per
// forwarded packet (malloc and friends counted on this thread, after one
// warm-up batch): the house rule wants 0. It was 5 per SRTP operation while
// libsrtp did its crypto through Debian's NSS; SrtpLibrary now gives it
// OpenSSL contexts made per session (docs/BENCHMARKS.md, "SFU").
// TURND_BENCH_ALLOC_TRACE=N shows where any allocation comes from.
#include <benchmark/benchmark.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "bench/alloc_count.h"
#include "bench/sfu_browser.h"
#include "db/code_hash.h"
#include "sfu/conference/conference.h"
#include "sfu/conference/scrypt_code_verifier.h"
#include "turnd/common/log.h"

namespace turnd::sfu::bench {
namespace {

constexpr const char* kRoom = "bench";
constexpr const char* kCode = "bench-code-2468";
constexpr size_t kBatch = 512;  // publisher packets protected ahead, outside the timing
const SocketAddress kSfu = *SocketAddress::parse("192.0.2.1:7882");

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

Room::Room(int n, const BrowserOptions& browsers) {
  log::configure(log::Level::kWarning, "", true);
  db::Room room;
  room.id = 1;
  room.slug = kRoom;
  room.display_name = "Bench";
  db::CodeHashParams fast;  // setup only: the code check is not what is measured
  fast.scrypt_n = 1024;
  room.participant_code_hash = db::hash_code(kCode, fast);
  rooms_.replace({room});
  conference::ConferenceOptions options;
  options.udp_candidates = {kSfu};
  conference_ = std::make_unique<conference::Conference>(
      conference::ConferenceDeps{clock_, rooms_, signal_, codes_, endpoint_,
                                 transport::TransportDeps{clock_, dtls_, srtp_, mac_, endpoint_},
                                 nullptr},
      options);
  for (int i = 0; i < n; ++i) add(i, browsers);
  for (auto& p : people_) {
    if (!p->browser->published() || p->browser->offered_tracks() != 2 * (people_.size() - 1)) {
      throw std::runtime_error("signalling did not settle");
    }
    p->browser->connect(Pc::kPublisher);
    p->browser->connect(Pc::kSubscriber);
  }
  pump_media();
  for (auto& p : people_) {
    if (!p->browser->connected(Pc::kPublisher) || !p->browser->connected(Pc::kSubscriber)) {
      throw std::runtime_error("DTLS did not complete");
    }
  }
  check_forwarding(Media::kAudio);
  check_forwarding(Media::kVideo);
}

// Participant i joins; its two PeerConnections come from their own 5-tuples.
void Room::add(int i, const BrowserOptions& browsers) {
  auto p = std::make_unique<Participant>();
  for (size_t pc = 0; pc < 2; ++pc) {
    auto addr = *SocketAddress::parse("198.51.100." + std::to_string(i / 100 + 1) + ":" +
                                      std::to_string(40000 + (i % 100) * 2 + pc));
    p->wires[pc].tuple = {addr, kSfu, turn::ClientTransport::kUdp};
  }
  Participant* raw = p.get();
  p->browser =
      std::make_unique<SimulatedBrowser>(i, srtp_, mac_, browsers, [this, raw](Pc pc, Bytes d) {
        to_sfu_.emplace_back(&raw->wires[static_cast<size_t>(pc)],
                             std::vector<std::byte>(d.begin(), d.end()));
      });
  people_.push_back(std::move(p));
  join(people_.size() - 1);
}

void Room::join(size_t i) {
  auto c = static_cast<conference::ConnectionId>(i + 1);
  conference_->on_open(c, people_[i]->wires[0].tuple.client);
  conference_->on_message(c, people_[i]->browser->join_message(kRoom, kCode));
  mailbox_.run_one();
  pump_signals();
}

void Room::pump_signals() {
  while (!signal_.out.empty()) {
    auto [c, text] = std::move(signal_.out.front());
    signal_.out.pop_front();
    if (auto reply = people_[c - 1]->browser->on_signal(text)) conference_->on_message(c, *reply);
  }
}

// Moves datagrams both ways until neither side has anything to say.
void Room::pump_media() {
  for (bool moved = true; moved;) {
    moved = false;
    while (!to_sfu_.empty()) {
      auto [wire, d] = std::move(to_sfu_.front());
      to_sfu_.pop_front();
      d.resize(d.size() + 64);
      endpoint_.on_client_packet(wire->tuple, wire->link, MutableBytes(d.data(), d.size() - 64));
      moved = true;
    }
    for (auto& p : people_) {
      for (size_t pc = 0; pc < 2; ++pc) {
        auto& q = p->wires[pc].sink.datagrams;
        while (!q.empty()) {
          auto d = std::move(q.front());
          q.pop_front();
          p->browser->on_datagram(static_cast<Pc>(pc), d);
          moved = true;
        }
      }
    }
  }
}

// One packet from each publisher reaches every other participant, decrypts
// there, and carries the publisher's SSRC. It also makes
// libsrtp clone its per-SSRC streams now, not while timing.
void Room::check_forwarding(Media media) {
  for (auto& p : people_) {
    for (auto& q : people_) q->wires[1].sink.datagrams.clear();
    Packet packet;
    packet.length = p->browser->make_rtp(media, packet.bytes);
    endpoint_.on_client_packet(p->wires[0].tuple, p->wires[0].link,
                               MutableBytes(packet.bytes.data(), packet.length));
    for (auto& q : people_) {
      auto& got = q->wires[1].sink.datagrams;
      if (q == p) continue;
      if (got.size() != 1) throw std::runtime_error("a subscriber did not get the packet");
      auto plain = q->browser->unprotect_forwarded(got.front());
      if (!plain || load_be32(plain->data() + 8) != p->browser->ssrc(media)) {
        throw std::runtime_error("a forwarded packet does not decrypt to the publisher's");
      }
    }
  }
  for (auto& q : people_) q->wires[1].sink.datagrams.clear();
}

void Room::prepare(std::vector<Packet>& batch, Media media) {
  for (Packet& p : batch) {
    p.participant = next_publisher_++ % people_.size();
    p.length = people_[p.participant]->browser->make_rtp(media, p.bytes);
  }
}

void Room::capture(bool on) {
  for (auto& p : people_) {
    for (Wire& w : p->wires) w.sink.capture = on;
  }
}

// Rooms live for the whole run: Google Benchmark calls a benchmark several
// times, and the handshakes are not what is measured.
Room& room_of(int n, const std::string& srtp_profile) {
  static std::map<std::pair<int, std::string>, std::unique_ptr<Room>> rooms;
  auto& slot = rooms[{n, srtp_profile}];
  BrowserOptions options;
  options.srtp_profiles = srtp_profile;
  if (!slot) slot = std::make_unique<Room>(n, options);
  return *slot;
}

void forward(benchmark::State& state, Media media, const std::string& srtp_profile) {
  Room* room = nullptr;
  try {
    room = &room_of(static_cast<int>(state.range(0)), srtp_profile);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  room->capture(false);
  std::vector<Packet> batch(kBatch);
  room->prepare(batch, media);
  for (Packet& p : batch) room->deliver(p);  // warm-up: nothing first-time left
  room->prepare(batch, media);
  const uint64_t forwarded_before = room->counters().forwarded_packets;
  const uint64_t bytes_before = room->counters().forwarded_bytes;
  const uint64_t allocations_before = allocations_counted();
  size_t next = 0;
  count_allocations(true);
  for (auto _ : state) {
    if (next == batch.size()) {
      count_allocations(false);
      state.PauseTiming();
      room->prepare(batch, media);
      next = 0;
      state.ResumeTiming();
      count_allocations(true);
    }
    room->deliver(batch[next++]);
  }
  count_allocations(false);
  const auto in = static_cast<double>(state.iterations());
  const uint64_t forwarded = room->counters().forwarded_packets - forwarded_before;
  const auto allocations = static_cast<double>(allocations_counted() - allocations_before);
  if (forwarded != state.iterations() * (room->size() - 1)) {
    state.SkipWithError("not every packet reached every subscriber");
  }
  state.SetItemsProcessed(static_cast<int64_t>(forwarded));
  state.SetBytesProcessed(static_cast<int64_t>(room->counters().forwarded_bytes - bytes_before));
  state.counters["packets_in"] = benchmark::Counter(in, benchmark::Counter::kIsRate);
  state.counters["allocs_per_packet"] = benchmark::Counter(allocations / in);
  state.counters["allocs_per_fwd"] =
      benchmark::Counter(forwarded == 0 ? 0.0 : allocations / static_cast<double>(forwarded));
}

constexpr const char* kGcm = "SRTP_AEAD_AES_128_GCM";  // what Chromium and the SFU agree on
constexpr const char* kAesCm = "SRTP_AES128_CM_SHA1_80";

// 1200-byte VP8-like packets (the bulk of a conference's packets and bytes).
void BM_SfuForwardVideo(benchmark::State& state) {
  forward(state, Media::kVideo, kGcm);
}
// 100-byte Opus-like packets: the per-packet costs without the per-byte ones.
void BM_SfuForwardAudio(benchmark::State& state) {
  forward(state, Media::kAudio, kGcm);
}
// The other profile every browser offers: what a different SRTP choice would cost.
void BM_SfuForwardVideoAesCm(benchmark::State& state) {
  forward(state, Media::kVideo, kAesCm);
}
BENCHMARK(BM_SfuForwardVideo)->ArgName("participants")->Arg(2)->Arg(5)->Arg(10)->Arg(25);
BENCHMARK(BM_SfuForwardAudio)->ArgName("participants")->Arg(2)->Arg(5)->Arg(10)->Arg(25);
BENCHMARK(BM_SfuForwardVideoAesCm)->ArgName("participants")->Arg(2)->Arg(5)->Arg(10)->Arg(25);

}  // namespace
}  // namespace turnd::sfu::bench

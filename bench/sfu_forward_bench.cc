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
#include "bench/in_memory_room.h"

namespace turnd::sfu::bench {
namespace {

constexpr size_t kBatch = 512;  // publisher packets protected ahead, outside the timing

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

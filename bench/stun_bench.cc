// Micro-benchmarks of the STUN codec: parse, build, MESSAGE-INTEGRITY and
// FINGERPRINT, and TCP stream framing. Items/s and bytes/s per operation.
#include <benchmark/benchmark.h>

#include <array>
#include <vector>

#include "tests/unit/hex.h"
#include "turnd/stun/attr/username.h"
#include "turnd/stun/attr/xor_mapped_address.h"
#include "turnd/stun/integrity.h"
#include "turnd/stun/message.h"
#include "turnd/turn/stream_framer.h"

namespace turnd::stun {
namespace {

// RFC 5769 §2.1 sample request.
const std::vector<std::byte> kRequest = test::from_hex(
    "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e20746573742063"
    "6c69656e74002400046e0001ff80290008932ff9b151263b36000600096576746a3a6836"
    "765920202000080014 9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf");

void BM_ParseAndFindUsername(benchmark::State& state) {
  for (auto _ : state) {
    MessageView m;
    MessageView::parse(kRequest, m);
    Username u;
    Username::get_from(m, u);
    benchmark::DoNotOptimize(u.value.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kRequest.size()));
}
BENCHMARK(BM_ParseAndFindUsername);

void BM_BuildBindingResponse(benchmark::State& state) {
  std::array<std::byte, 256> buffer{};
  auto address = *SocketAddress::parse("192.0.2.1:32853");
  MessageView request;
  MessageView::parse(kRequest, request);
  for (auto _ : state) {
    MessageBuilder b(buffer, Method::kBinding, MessageClass::kSuccessResponse,
                     request.transaction_id());
    XorMappedAddress{address}.add_to(b);
    benchmark::DoNotOptimize(b.bytes().data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BuildBindingResponse);

void BM_VerifyMessageIntegrity(benchmark::State& state) {
  MacContext mac;
  MessageView m;
  MessageView::parse(kRequest, m);
  for (auto _ : state) {
    benchmark::DoNotOptimize(verify_integrity(mac, m, as_bytes("VOkJxbRl1RmTxUk/WvJxBt")));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyMessageIntegrity);

void BM_VerifyFingerprint(benchmark::State& state) {
  MessageView m;
  MessageView::parse(kRequest, m);
  for (auto _ : state) benchmark::DoNotOptimize(verify_fingerprint(m));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyFingerprint);

void BM_StreamFraming(benchmark::State& state) {
  std::vector<std::byte> stream;
  for (int i = 0; i < 64; ++i) {  // 64 ChannelData frames of 160 bytes (an Opus packet)
    auto frame = test::from_hex("400100a0");
    stream.insert(stream.end(), frame.begin(), frame.end());
    stream.resize(stream.size() + 160);
  }
  for (auto _ : state) {
    Bytes rest(stream);
    size_t length = 0;
    while (turn::next_frame(rest, length) == turn::FrameStatus::kFrame) rest = rest.subspan(length);
    benchmark::DoNotOptimize(rest.data());
  }
  state.SetItemsProcessed(state.iterations() * 64);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(stream.size()));
}
BENCHMARK(BM_StreamFraming);

}  // namespace
}  // namespace turnd::stun

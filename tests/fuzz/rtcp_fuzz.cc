// Fuzz target: RTCP compound parsing and every typed view (SR, RR, SDES,
// BYE, NACK, transport-cc, PLI, FIR, REMB) on arbitrary bytes, and the NACK
// builder round-tripped on sequence numbers taken from the input.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "sfu/rtp/rtcp.h"
#include "sfu/rtp/rtcp_feedback.h"
#include "sfu/rtp/rtcp_reports.h"
#include "sfu/rtp/transport_cc.h"

using namespace turnd;
using namespace turnd::sfu::rtp;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void read_packet(const RtcpPacketView& p) {
  SenderReportView sr;
  if (SenderReportView::parse(p, sr) == RtcpError::kOk) {
    (void)sr.sender_info();
    for (size_t i = 0; i < sr.report_count(); ++i) (void)sr.report(i);
  }
  ReceiverReportView rr;
  if (ReceiverReportView::parse(p, rr) == RtcpError::kOk) {
    for (size_t i = 0; i < rr.report_count(); ++i) (void)rr.report(i);
  }
  SdesView sdes;
  if (SdesView::parse(p, sdes) == RtcpError::kOk) {
    sdes.for_each_item([](uint32_t, uint8_t, std::string_view) { return true; });
    (void)sdes.cname(0);
  }
  ByeView bye;
  if (ByeView::parse(p, bye) == RtcpError::kOk) {
    for (size_t i = 0; i < bye.ssrc_count(); ++i) (void)bye.ssrc(i);
  }
  NackView nack;
  if (NackView::parse(p, nack) == RtcpError::kOk) {
    size_t lost = 0;
    nack.for_each_lost([&](uint16_t) { ++lost; });
    check(lost >= nack.item_count() && lost <= 17 * nack.item_count());
  }
  TransportCcView twcc;
  if (TransportCcView::parse(p, twcc) == RtcpError::kOk) {
    size_t packets = 0;
    twcc.for_each_packet([&](uint16_t, PacketStatus, int32_t) { ++packets; });
    check(packets == twcc.status_count());
  }
  PliView pli;
  (void)PliView::parse(p, pli);
  FirView fir;
  if (FirView::parse(p, fir) == RtcpError::kOk) {
    for (size_t i = 0; i < fir.entry_count(); ++i) (void)fir.entry(i);
  }
  RembView remb;
  if (RembView::parse(p, remb) == RtcpError::kOk) {
    (void)remb.bitrate_bps();
    for (size_t i = 0; i < remb.ssrc_count(); ++i) (void)remb.ssrc(i);
  }
}

// NACK built from the input's 16-bit words, sorted as a receiver would
// report them, expands back to exactly those numbers.
void nack_round_trip(const uint8_t* data, size_t size) {
  std::vector<uint16_t> lost;
  uint16_t seq = 65500;  // the list crosses the wrap
  for (size_t i = 0; i + 1 < size && lost.size() < 200; i += 2) {
    seq = static_cast<uint16_t>(seq + 1 + (data[i] % 40));  // ascending, with wrap
    lost.push_back(seq);
  }
  std::array<std::byte, 2048> buffer{};
  const size_t n = build_nack(buffer, 1, 2, lost);
  if (lost.empty()) {
    check(n == 0);
    return;
  }
  check(n > 0);
  RtcpPacketView p;
  check(RtcpPacketView::parse(Bytes(buffer).first(n), p) == RtcpError::kOk);
  NackView nack;
  check(NackView::parse(p, nack) == RtcpError::kOk);
  std::vector<uint16_t> expanded;
  nack.for_each_lost([&](uint16_t s) { expanded.push_back(s); });
  check(expanded == lost);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Bytes input(reinterpret_cast<const std::byte*>(data), size);
  RtcpCompound compound;
  if (RtcpCompound::parse(input, compound) == RtcpError::kOk) {
    size_t count = 0;
    size_t bytes = 0;
    for (const RtcpPacketView& p : compound) {
      ++count;
      bytes += p.data().size();
      read_packet(p);
    }
    check(count == compound.packet_count() && bytes == size);
  }
  nack_round_trip(data, size);
  return 0;
}

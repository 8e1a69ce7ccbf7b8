// RtxBuffer: store and find by sequence number, overwrite of the oldest,
// the window across wrap-around; RTX packets built and restored (RFC 4588).
#include "sfu/rtp/rtx_buffer.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "sfu/rtp/hex.h"
#include "sfu/rtp/rtx_packet.h"

namespace turnd::sfu::rtp {
namespace {

using test::hex;

std::vector<std::byte> packet(uint16_t seq, size_t size = 20) {
  std::vector<std::byte> p(size, std::byte{0xAB});
  p[0] = std::byte{0x80};
  store_be16(p.data() + 2, seq);
  return p;
}

bool holds(const RtxBuffer& buffer, uint16_t seq) {
  Bytes found = buffer.find(seq);
  return !found.empty() && load_be16(found.data() + 2) == seq;
}

TEST(RtxBuffer, CapacityRoundsUpToPowerOfTwo) {
  EXPECT_EQ(RtxBuffer(0).capacity(), 1u);
  EXPECT_EQ(RtxBuffer(3).capacity(), 4u);
  EXPECT_EQ(RtxBuffer(1000).capacity(), 1024u);
  EXPECT_EQ(RtxBuffer(100000, 16).capacity(), RtxBuffer::kMaxCapacity);
}

TEST(RtxBuffer, StoresAndFinds) {
  RtxBuffer buffer(8, 100);
  EXPECT_TRUE(buffer.empty());
  EXPECT_TRUE(buffer.find(0).empty());
  auto p = packet(5, 60);
  ASSERT_TRUE(buffer.store(5, p));
  Bytes found = buffer.find(5);
  EXPECT_EQ(std::vector<std::byte>(found.begin(), found.end()), p);
  EXPECT_TRUE(buffer.find(4).empty());
  EXPECT_TRUE(buffer.find(13).empty());  // same slot, other number
  EXPECT_EQ(buffer.newest(), 5);
  // The copy is independent of the caller's buffer.
  p[10] = std::byte{0};
  EXPECT_EQ(buffer.find(5)[10], std::byte{0xAB});
}

TEST(RtxBuffer, OverwritesOldest) {
  RtxBuffer buffer(4);
  for (uint16_t seq = 0; seq < 10; ++seq) ASSERT_TRUE(buffer.store(seq, packet(seq)));
  for (uint16_t seq = 0; seq < 6; ++seq) EXPECT_FALSE(holds(buffer, seq)) << seq;
  for (uint16_t seq = 6; seq < 10; ++seq) EXPECT_TRUE(holds(buffer, seq)) << seq;
  // A late packet older than the window would evict a newer one: refused.
  EXPECT_FALSE(buffer.store(5, packet(5)));
  EXPECT_TRUE(holds(buffer, 9));
  // A late packet inside the window is kept.
  RtxBuffer gaps(4);
  ASSERT_TRUE(gaps.store(10, packet(10)));
  ASSERT_TRUE(gaps.store(12, packet(12)));
  ASSERT_TRUE(gaps.store(11, packet(11)));
  EXPECT_TRUE(holds(gaps, 11));
  EXPECT_EQ(gaps.newest(), 12);
}

TEST(RtxBuffer, WindowAcrossWrapAround) {
  RtxBuffer buffer(8);
  for (uint16_t seq : {65532, 65533, 65534, 65535, 0, 1, 2, 3}) {
    ASSERT_TRUE(buffer.store(seq, packet(seq)));
  }
  EXPECT_EQ(buffer.newest(), 3);
  for (uint16_t seq : {65532, 65533, 65534, 65535, 0, 1, 2, 3}) EXPECT_TRUE(holds(buffer, seq));
  ASSERT_TRUE(buffer.store(4, packet(4)));
  EXPECT_FALSE(holds(buffer, 65532));
  EXPECT_TRUE(holds(buffer, 65533));
}

TEST(RtxBuffer, JumpForwardInvalidatesOldSlots) {
  RtxBuffer buffer(8);
  ASSERT_TRUE(buffer.store(100, packet(100)));
  ASSERT_TRUE(buffer.store(1000, packet(1000)));
  EXPECT_FALSE(holds(buffer, 100));  // outside the window behind 1000
  EXPECT_TRUE(holds(buffer, 1000));
  // 65536 numbers later the slot of 100 would match again: the window says no.
  RtxBuffer stale(8);
  ASSERT_TRUE(stale.store(100, packet(100)));
  for (uint32_t seq = 101; seq <= 100 + 65536 - 8; seq += 20000) {
    ASSERT_TRUE(stale.store(static_cast<uint16_t>(seq), packet(static_cast<uint16_t>(seq))));
  }
  EXPECT_TRUE(stale.find(100).empty());
}

TEST(RtxBuffer, RefusesOversizedAndClears) {
  RtxBuffer buffer(4, 32);
  EXPECT_FALSE(buffer.store(1, packet(1, 33)));
  EXPECT_TRUE(buffer.store(1, packet(1, 32)));
  buffer.clear();
  EXPECT_TRUE(buffer.empty());
  EXPECT_TRUE(buffer.find(1).empty());
  EXPECT_TRUE(buffer.store(50, packet(50)));  // anything goes after clear
}

TEST(RtxPacket, BuildAndRestore) {
  // Marker, PT 96, seq 0x1234, one-byte extension, payload DE AD BE EF,
  // 2 bytes of padding (dropped in the RTX packet).
  const auto original =
      hex("B0 E0 12 34  00 00 10 00  11 22 33 44"
          "BE DE 00 01  10 AA 00 00  DE AD BE EF  00 02");
  RtpPacketView view;
  ASSERT_EQ(RtpPacketView::parse(original, view), RtpError::kOk);

  std::array<std::byte, 64> rtx{};
  const size_t n = build_rtx_packet(view, rtx, 97, 0x55667788, 7);
  ASSERT_EQ(n, 20u + 2 + 4);
  EXPECT_EQ(
      std::vector<std::byte>(rtx.begin(), rtx.begin() + n),
      hex("90 E1 00 07  00 00 10 00  55 66 77 88  BE DE 00 01  10 AA 00 00  12 34 DE AD BE EF"));
  RtpPacketView rtx_view;
  ASSERT_EQ(RtpPacketView::parse(Bytes(rtx).first(n), rtx_view), RtpError::kOk);
  EXPECT_EQ(rtx_original_sequence(rtx_view), 0x1234);
  EXPECT_EQ(rtx_view.find_extension(1)->size(), 1u);

  std::array<std::byte, 64> restored{};
  const size_t m = restore_from_rtx(rtx_view, restored, 96, 0x11223344);
  ASSERT_EQ(m, 24u);
  // The original without its padding.
  auto expected = original;
  expected.resize(24);
  expected[0] = std::byte{0x90};
  EXPECT_EQ(std::vector<std::byte>(restored.begin(), restored.begin() + m), expected);

  EXPECT_EQ(build_rtx_packet(view, MutableBytes(rtx).first(n - 1), 97, 1, 1), 0u);
  EXPECT_EQ(restore_from_rtx(rtx_view, MutableBytes(restored).first(m - 1), 96, 1), 0u);
}

TEST(RtxPacket, PaddingOnlyRtxHasNoOsn) {
  auto probe = hex("A0 61 00 01  00 00 00 00  00 00 00 01  00 00 00 04");
  RtpPacketView view;
  ASSERT_EQ(RtpPacketView::parse(probe, view), RtpError::kOk);
  EXPECT_FALSE(rtx_original_sequence(view));
  std::array<std::byte, 64> out{};
  EXPECT_EQ(restore_from_rtx(view, out, 96, 1), 0u);
}

}  // namespace
}  // namespace turnd::sfu::rtp

// RtpPacketView and MutableRtpPacket on hand-assembled packets: RFC 3550's
// fixed header, RFC 8285's one-byte and two-byte extension examples
// (Figures 3 and 5), a packet shaped like Chromium's video, malformed input,
// and the forwarding rewrites.
#include "sfu/rtp/rtp_packet.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "sfu/rtp/header_extensions.h"
#include "sfu/rtp/hex.h"

namespace turnd::sfu::rtp {
namespace {

using test::hex;

std::vector<std::byte> to_vec(Bytes b) {
  return {b.begin(), b.end()};
}

// RFC 8285 Figure 3: one-byte form, IDs 1 (1 byte), 2 (2 bytes), two
// padding bytes, 3 (4 bytes).
const std::vector<std::byte> kOneByte =
    hex("90 60 12 34  00 00 10 00  11 22 33 44"
        "BE DE 00 03  10 AA 21 BB  CC 00 00 33  D1 D2 D3 D4"
        "DE AD BE EF");

// RFC 8285 Figure 5: two-byte form, IDs 1 (empty), 2 (1 byte), padding, 3 (4 bytes).
const std::vector<std::byte> kTwoByte =
    hex("90 E1 FF FF  AB CD EF 01  CA FE BA BE"
        "10 00 00 03  01 00 02 01  BB 00 03 04  D1 D2 D3 D4"
        "01 02 03");

TEST(RtpPacket, FixedHeader) {
  auto data = hex("80 6F 00 07  00 00 03 C0  DE AD BE EF  01 02 03");
  RtpPacketView p;
  ASSERT_EQ(RtpPacketView::parse(data, p), RtpError::kOk);
  EXPECT_FALSE(p.padding());
  EXPECT_FALSE(p.has_extension());
  EXPECT_FALSE(p.marker());
  EXPECT_EQ(p.payload_type(), 111);
  EXPECT_EQ(p.sequence_number(), 7);
  EXPECT_EQ(p.timestamp(), 960u);
  EXPECT_EQ(p.ssrc(), 0xDEADBEEFu);
  EXPECT_EQ(p.csrc_count(), 0);
  EXPECT_EQ(p.header_size(), 12u);
  EXPECT_EQ(p.extension_form(), ExtensionForm::kNone);
  EXPECT_EQ(p.extension_profile(), 0);
  EXPECT_FALSE(p.find_extension(1));
  EXPECT_EQ(to_vec(p.payload()), hex("01 02 03"));
}

TEST(RtpPacket, OneByteExtensionsRfc8285Figure3) {
  RtpPacketView p;
  ASSERT_EQ(RtpPacketView::parse(kOneByte, p), RtpError::kOk);
  EXPECT_EQ(p.payload_type(), 96);
  EXPECT_EQ(p.sequence_number(), 0x1234);
  EXPECT_EQ(p.timestamp(), 4096u);
  EXPECT_EQ(p.ssrc(), 0x11223344u);
  EXPECT_EQ(p.extension_form(), ExtensionForm::kOneByte);
  EXPECT_EQ(p.extension_profile(), 0xBEDE);
  EXPECT_EQ(p.extension_block().size(), 12u);
  EXPECT_EQ(p.header_size(), 28u);
  EXPECT_EQ(to_vec(*p.find_extension(1)), hex("AA"));
  EXPECT_EQ(to_vec(*p.find_extension(2)), hex("BB CC"));
  EXPECT_EQ(to_vec(*p.find_extension(3)), hex("D1 D2 D3 D4"));
  EXPECT_FALSE(p.find_extension(4));
  EXPECT_FALSE(p.find_extension(0));  // padding is not an element
  EXPECT_EQ(to_vec(p.payload()), hex("DE AD BE EF"));

  std::vector<uint8_t> ids;
  p.for_each_extension([&](const HeaderExtension& e) {
    ids.push_back(e.id);
    return true;
  });
  EXPECT_EQ(ids, (std::vector<uint8_t>{1, 2, 3}));
}

TEST(RtpPacket, TwoByteExtensionsRfc8285Figure5) {
  RtpPacketView p;
  ASSERT_EQ(RtpPacketView::parse(kTwoByte, p), RtpError::kOk);
  EXPECT_TRUE(p.marker());
  EXPECT_EQ(p.payload_type(), 97);
  EXPECT_EQ(p.sequence_number(), 0xFFFF);
  EXPECT_EQ(p.timestamp(), 0xABCDEF01u);
  EXPECT_EQ(p.extension_form(), ExtensionForm::kTwoByte);
  EXPECT_EQ(p.extension_profile(), 0x1000);
  ASSERT_TRUE(p.find_extension(1));
  EXPECT_TRUE(p.find_extension(1)->empty());  // L=0 is a valid, empty value
  EXPECT_EQ(to_vec(*p.find_extension(2)), hex("BB"));
  EXPECT_EQ(to_vec(*p.find_extension(3)), hex("D1 D2 D3 D4"));
  EXPECT_EQ(to_vec(p.payload()), hex("01 02 03"));
}

TEST(RtpPacket, TwoByteFormAppBitsAndOtherProfiles) {
  auto data = kTwoByte;
  data[13] = std::byte{0x0A};  // 0x100A: appbits 0xA
  RtpPacketView p;
  ASSERT_EQ(RtpPacketView::parse(data, p), RtpError::kOk);
  EXPECT_EQ(p.extension_form(), ExtensionForm::kTwoByte);
  EXPECT_EQ(p.extension_profile(), 0x100A);

  data[12] = std::byte{0x12};  // 0x120A: some other profile
  ASSERT_EQ(RtpPacketView::parse(data, p), RtpError::kOk);
  EXPECT_EQ(p.extension_form(), ExtensionForm::kOther);
  EXPECT_EQ(p.extension_block().size(), 12u);
  EXPECT_FALSE(p.find_extension(2));
  EXPECT_EQ(p.payload().size(), 3u);
}

TEST(RtpPacket, CsrcsAndPadding) {
  // P=1, X=0, CC=2; two CSRCs; 2 payload bytes then 3 bytes of padding.
  auto data =
      hex("A2 08 00 01  00 00 00 A0  00 00 00 01  00 00 00 0A  00 00 00 0B"
          "55 66  00 00 03");
  RtpPacketView p;
  ASSERT_EQ(RtpPacketView::parse(data, p), RtpError::kOk);
  EXPECT_TRUE(p.padding());
  ASSERT_EQ(p.csrc_count(), 2);
  EXPECT_EQ(p.csrc(0), 10u);
  EXPECT_EQ(p.csrc(1), 11u);
  EXPECT_EQ(p.header_size(), 20u);
  EXPECT_EQ(p.padding_size(), 3);
  EXPECT_EQ(to_vec(p.payload()), hex("55 66"));
}

TEST(RtpPacket, PaddingOnlyPacket) {
  // A probing packet: no payload, 4 bytes of padding.
  auto data = hex("A0 60 00 01  00 00 00 00  00 00 00 01  00 00 00 04");
  RtpPacketView p;
  ASSERT_EQ(RtpPacketView::parse(data, p), RtpError::kOk);
  EXPECT_TRUE(p.payload().empty());
  EXPECT_EQ(p.padding_size(), 4);
}

TEST(RtpPacket, ChromiumVideoExtensions) {
  // abs-send-time (ID 2), transport-wide-cc (ID 3), sdes:mid (ID 4) as
  // Chromium's offer maps them, then padding to the word.
  auto data =
      hex("90 E0 30 39  00 01 5F 90  55 9A 72 1E"
          "BE DE 00 03  22 AB CD EF  31 00 2A 40  31 00 00 00"
          "90 E0 01 02");
  RtpPacketView p;
  ASSERT_EQ(RtpPacketView::parse(data, p), RtpError::kOk);
  EXPECT_EQ(read_abs_send_time(*p.find_extension(2)), 0xABCDEFu);
  EXPECT_EQ(read_transport_sequence(*p.find_extension(3)), 42);
  EXPECT_EQ(read_mid(*p.find_extension(4)), "1");
  EXPECT_FALSE(read_transport_sequence(*p.find_extension(2)));  // wrong length
}

TEST(RtpPacket, OneByteId15StopsProcessing) {
  auto data = hex("90 60 00 01  00 00 00 00  00 00 00 01  BE DE 00 02  10 AA F0 00  20 BB 00 00");
  RtpPacketView p;
  ASSERT_EQ(RtpPacketView::parse(data, p), RtpError::kOk);
  EXPECT_TRUE(p.find_extension(1));
  EXPECT_FALSE(p.find_extension(2));
}

TEST(RtpPacket, MalformedIsRejected) {
  RtpPacketView p;
  EXPECT_EQ(RtpPacketView::parse({}, p), RtpError::kTooShort);
  EXPECT_EQ(RtpPacketView::parse(hex("80 60 00 01 00 00 00 00 00 00 00"), p), RtpError::kTooShort);
  EXPECT_EQ(RtpPacketView::parse(hex("40 60 00 01 00 00 00 00 00 00 00 01"), p),
            RtpError::kBadVersion);
  EXPECT_EQ(RtpPacketView::parse(hex("C0 60 00 01 00 00 00 00 00 00 00 01"), p),
            RtpError::kBadVersion);
  // CC=1 without the CSRC.
  EXPECT_EQ(RtpPacketView::parse(hex("81 60 00 01 00 00 00 00 00 00 00 01"), p),
            RtpError::kTruncatedCsrc);
  // X=1 without the extension header.
  EXPECT_EQ(RtpPacketView::parse(hex("90 60 00 01 00 00 00 00 00 00 00 01 BE DE"), p),
            RtpError::kTruncatedExtension);
  // Extension length overflow: 0xFFFF words announced, 4 bytes there.
  EXPECT_EQ(
      RtpPacketView::parse(hex("90 60 00 01 00 00 00 00 00 00 00 01 BE DE FF FF 10 AA 00 00"), p),
      RtpError::kTruncatedExtension);
  // One-byte element with L=15 (16 bytes) in a 4-byte block.
  EXPECT_EQ(
      RtpPacketView::parse(hex("90 60 00 01 00 00 00 00 00 00 00 01 BE DE 00 01 1F AA 00 00"), p),
      RtpError::kBadExtensionElement);
  // Two-byte element of length 200 in a 4-byte block, and one cut after its ID.
  EXPECT_EQ(
      RtpPacketView::parse(hex("90 60 00 01 00 00 00 00 00 00 00 01 10 00 00 01 01 C8 00 00"), p),
      RtpError::kBadExtensionElement);
  EXPECT_EQ(
      RtpPacketView::parse(hex("90 60 00 01 00 00 00 00 00 00 00 01 10 00 00 01 00 00 00 05"), p),
      RtpError::kBadExtensionElement);
  // Padding count 0, and larger than the payload.
  EXPECT_EQ(RtpPacketView::parse(hex("A0 60 00 01 00 00 00 00 00 00 00 01 AA 00"), p),
            RtpError::kBadPadding);
  EXPECT_EQ(RtpPacketView::parse(hex("A0 60 00 01 00 00 00 00 00 00 00 01 AA 03"), p),
            RtpError::kBadPadding);
  EXPECT_TRUE(p.data().empty());  // nothing visible after a failure
  EXPECT_STREQ(to_string(RtpError::kBadPadding), "bad padding count");
}

TEST(RtpPacket, TruncatedAnywhereIsRejectedOrConsistent) {
  // Every prefix of a valid packet parses to a consistent view or an error.
  for (size_t n = 0; n <= kOneByte.size(); ++n) {
    RtpPacketView p;
    RtpError error = RtpPacketView::parse(Bytes(kOneByte).first(n), p);
    if (n < 28) {
      EXPECT_NE(error, RtpError::kOk) << n;
    } else {
      ASSERT_EQ(error, RtpError::kOk) << n;
      EXPECT_EQ(p.payload().size(), n - 28);
    }
  }
}

TEST(MutableRtpPacket, RewritesHeaderFields) {
  auto data = kTwoByte;
  MutableRtpPacket m;
  ASSERT_EQ(MutableRtpPacket::parse(data, m), RtpError::kOk);
  m.set_ssrc(0x01020304);
  m.set_sequence_number(0);
  m.set_timestamp(0xFFFFFFFF);
  m.set_payload_type(100);
  const RtpPacketView& v = m.view();
  EXPECT_EQ(v.ssrc(), 0x01020304u);
  EXPECT_EQ(v.sequence_number(), 0);
  EXPECT_EQ(v.timestamp(), 0xFFFFFFFFu);
  EXPECT_EQ(v.payload_type(), 100);
  EXPECT_TRUE(v.marker());  // kept by set_payload_type
  m.set_marker(false);
  EXPECT_FALSE(v.marker());
  EXPECT_EQ(v.payload_type(), 100);
  EXPECT_EQ(data[1], std::byte{100});
  m.set_marker(true);
  EXPECT_EQ(data[1], std::byte{0x80 | 100});
  // The rest is untouched.
  EXPECT_EQ(to_vec(Bytes(data).subspan(12)), to_vec(Bytes(kTwoByte).subspan(12)));
}

TEST(MutableRtpPacket, RewritesExtensionOfSameLength) {
  auto data =
      hex("90 E0 30 39  00 01 5F 90  55 9A 72 1E"
          "BE DE 00 03  22 AB CD EF  31 00 2A 40  31 00 00 00"
          "90 E0 01 02");
  MutableRtpPacket m;
  ASSERT_EQ(MutableRtpPacket::parse(data, m), RtpError::kOk);

  // Transport-wide sequence number: renumbered for the outgoing transport.
  const std::array<std::byte, 2> seq{std::byte{0x12}, std::byte{0x34}};
  EXPECT_TRUE(m.set_extension(3, seq));
  EXPECT_EQ(read_transport_sequence(*m.view().find_extension(3)), 0x1234);

  // abs-send-time: stamped in place at send time.
  EXPECT_TRUE(write_abs_send_time(m.extension(2), abs_send_time_from_us(1'500'000)));
  EXPECT_EQ(read_abs_send_time(*m.view().find_extension(2)), 0x60000u);  // 1.5 s in 6.18

  // Other lengths, absent IDs and ID 0 are refused without change.
  const std::array<std::byte, 3> three{};
  EXPECT_FALSE(m.set_extension(3, three));
  EXPECT_FALSE(m.set_extension(7, seq));
  EXPECT_FALSE(m.set_extension(0, seq));
  EXPECT_TRUE(m.extension(9).empty());
  EXPECT_EQ(read_transport_sequence(*m.view().find_extension(3)), 0x1234);
  EXPECT_EQ(read_mid(*m.view().find_extension(4)), "1");
  EXPECT_EQ(to_vec(m.view().payload()), hex("90 E0 01 02"));
}

TEST(MutableRtpPacket, ParseFailureLeavesNothingWritable) {
  auto data = hex("40 60 00 01 00 00 00 00 00 00 00 01");
  MutableRtpPacket m;
  EXPECT_EQ(MutableRtpPacket::parse(data, m), RtpError::kBadVersion);
  EXPECT_TRUE(m.data().empty());
}

TEST(HeaderExtensions, Values) {
  EXPECT_EQ(abs_send_time_from_us(0), 0u);
  EXPECT_EQ(abs_send_time_from_us(1'000'000), 1u << 18);
  EXPECT_EQ(abs_send_time_from_us(64'000'000), 0u);  // wraps every 64 s
  EXPECT_EQ(abs_send_time_from_us(63'999'999), 0xFFFFFFu);
  auto level = read_audio_level(hex("9E"));
  ASSERT_TRUE(level);
  EXPECT_TRUE(level->voice);
  EXPECT_EQ(level->level, 30);
  EXPECT_FALSE(read_audio_level({}));
  std::array<std::byte, 2> two{};
  EXPECT_FALSE(write_abs_send_time(two, 1));
  EXPECT_TRUE(write_transport_sequence(two, 0xBEEF));
  EXPECT_EQ(read_transport_sequence(two), 0xBEEF);
}

}  // namespace
}  // namespace turnd::sfu::rtp

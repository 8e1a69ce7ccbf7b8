// RtpRewrite: payload types and extension IDs renumbered in place, elements
// without a new ID turned into padding that parses, the rest untouched.
#include "sfu/rtp/rtp_rewrite.h"

#include <gtest/gtest.h>

#include <vector>

#include "sfu/rtp/header_extensions.h"
#include "sfu/rtp/hex.h"
#include "sfu/rtp/rtp_packet.h"

namespace turnd::sfu::rtp {
namespace {

using test::hex;

// Firefox-numbered audio: PT 109 (Opus), marker set; one-byte extensions
// 1 audio level (1 byte), 3 mid "0" (1 byte), 7 transport-wide seq (2 bytes).
std::vector<std::byte> firefox_audio() {
  return hex(
      "90 ED 12 34  00 00 10 00  11 22 33 44"
      "BE DE 00 02  10 85 30 30  71 01 02 00"
      "DE AD BE EF");
}

RtpRewrite firefox_audio_to_subscribers() {
  RtpRewrite r;
  r.map_payload_type(109, 111);
  r.map_extension(1, 1);  // audio level stays 1
  return r;               // mid (3) and transport-wide (7) are dropped
}

TEST(RtpRewrite, RenumbersAndBlanksOneByteElements) {
  std::vector<std::byte> packet = firefox_audio();
  ASSERT_TRUE(firefox_audio_to_subscribers().apply(packet));
  EXPECT_EQ(packet, hex("90 EF 12 34  00 00 10 00  11 22 33 44"
                        "BE DE 00 02  10 85 00 00  00 00 00 00"
                        "DE AD BE EF"));
  RtpPacketView view;
  ASSERT_EQ(RtpPacketView::parse(packet, view), RtpError::kOk);
  EXPECT_TRUE(view.marker());
  EXPECT_EQ(view.payload_type(), 111);
  ASSERT_TRUE(view.find_extension(1));
  EXPECT_EQ(read_audio_level(*view.find_extension(1))->level, 5);
  EXPECT_FALSE(view.find_extension(3));
  EXPECT_FALSE(view.find_extension(7));
  EXPECT_EQ(view.payload().size(), 4u);
}

TEST(RtpRewrite, MovesAnElementToAnotherId) {
  // Firefox's abs-send-time is 4; the subscribers' is 2.
  std::vector<std::byte> packet =
      hex("90 78 00 01  00 00 00 01  00 00 00 02"
          "BE DE 00 01  42 0A 0B 0C  77");
  RtpRewrite r;
  r.map_payload_type(120, 96);
  r.map_extension(4, 2);
  ASSERT_TRUE(r.apply(packet));
  RtpPacketView view;
  ASSERT_EQ(RtpPacketView::parse(packet, view), RtpError::kOk);
  EXPECT_EQ(view.payload_type(), 96);
  ASSERT_TRUE(view.find_extension(2));
  EXPECT_EQ(read_abs_send_time(*view.find_extension(2)), 0x0A0B0Cu);
  EXPECT_FALSE(view.find_extension(4));
}

TEST(RtpRewrite, TwoByteForm) {
  // Two-byte form (0x1000): ID 3, 2 bytes; ID 10, 0 bytes; ID 1, 1 byte.
  std::vector<std::byte> packet =
      hex("90 6D 00 01  00 00 00 01  00 00 00 02"
          "10 00 00 03  03 02 AA BB  0A 00 01 01"
          "85 00 00 00  77");
  RtpRewrite r = firefox_audio_to_subscribers();
  ASSERT_TRUE(r.apply(packet));
  EXPECT_EQ(packet, hex("90 6F 00 01  00 00 00 01  00 00 00 02"
                        "10 00 00 03  00 00 00 00  00 00 01 01"
                        "85 00 00 00  77"));
  RtpPacketView view;
  ASSERT_EQ(RtpPacketView::parse(packet, view), RtpError::kOk);
  ASSERT_TRUE(view.find_extension(1));
  EXPECT_FALSE(view.find_extension(3));
}

TEST(RtpRewrite, RefusesWhatSubscribersWereNotOffered) {
  std::vector<std::byte> packet = firefox_audio();
  packet[1] = std::byte{0x65};  // PT 101 (telephone-event): not mapped
  const std::vector<std::byte> before = packet;
  EXPECT_FALSE(firefox_audio_to_subscribers().apply(packet));
  EXPECT_EQ(packet, before);
  std::vector<std::byte> truncated = firefox_audio();
  truncated.resize(14);
  EXPECT_FALSE(firefox_audio_to_subscribers().apply(truncated));
  packet = firefox_audio();
  EXPECT_FALSE(RtpRewrite().apply(packet));  // nothing mapped
}

TEST(RtpRewrite, IgnoresMappingsOutOfRange) {
  RtpRewrite r;
  r.map_payload_type(200, 96);  // no such payload type
  r.map_extension(1, 15);       // 15 is reserved in the one-byte form
  r.map_extension(0, 1);        // 0 is padding
  r.map_payload_type(109, 111);
  std::vector<std::byte> packet = firefox_audio();
  ASSERT_TRUE(r.apply(packet));
  RtpPacketView view;
  ASSERT_EQ(RtpPacketView::parse(packet, view), RtpError::kOk);
  EXPECT_FALSE(view.find_extension(1));  // no valid new ID: blanked
}

}  // namespace
}  // namespace turnd::sfu::rtp

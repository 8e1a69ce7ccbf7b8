// Negotiation with both browsers: what Chromium and Firefox ESR offer as
// publishers (captured fixtures) becomes tracks, and one subscriber offer
// carrying tracks of both numbers payload types and header extensions one
// way (a BUNDLE group may not mix numberings), VP8 first.
#include "sfu/conference/negotiation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "sfu/rtp/hex.h"
#include "sfu/rtp/rtp_packet.h"
#include "sfu/sdp/fixture.h"

namespace turnd::sfu::conference {
namespace {

using sdp::test::fixture;

LocalTransport local() {
  LocalTransport t;
  t.ice.ufrag = "sfuUfrag";
  t.ice.pwd = "sfuPasswordSfuPassword24";
  t.fingerprint = *dtls::Fingerprint::parse(sdp::test::kSfuFingerprint);
  t.udp_candidates = {*SocketAddress::parse("192.0.2.10:40000")};
  return t;
}

const PublishedTrack& track_of(const PublishPlan& plan, MediaKind kind) {
  for (const PublishedTrack& t : plan.tracks) {
    if (t.kind == kind) return t;
  }
  ADD_FAILURE() << "no track of that kind";
  return plan.tracks.front();
}

TEST(Negotiation, FirefoxPublishesAudioAndVideo) {
  const PublishPlan plan = plan_publish(fixture("firefox_publisher_offer.sdp"), local());
  ASSERT_EQ(plan.tracks.size(), 2u);  // the camera was lost to a=bundle-only
  const PublishedTrack& video = track_of(plan, MediaKind::kVideo);
  EXPECT_EQ(video.mid, "1");
  EXPECT_EQ(video.ssrc, 4051846660u);
  EXPECT_EQ(video.rtx_ssrc, 1166394907u);
  EXPECT_EQ(video.codecs.front().name, "VP8");
  EXPECT_EQ(video.transport_cc_id, 7);
}

// Simulcast offers (three layers): one encoding is received, its SSRC comes
// from its packets (Chromium announces none, Firefox's name no one layer).
TEST(Negotiation, SimulcastTracksAreNamedByTheirPackets) {
  struct Case {
    const char* fixture;
    uint8_t mid_id, rid_id;
  };
  for (const Case& c :
       {Case{"chromium_simulcast_offer.sdp", 4, 10}, Case{"firefox_simulcast_offer.sdp", 3, 9}}) {
    const PublishPlan plan = plan_publish(fixture(c.fixture), local());
    ASSERT_EQ(plan.tracks.size(), 2u) << c.fixture;
    const PublishedTrack& audio = track_of(plan, MediaKind::kAudio);
    EXPECT_NE(audio.ssrc, 0u) << c.fixture;
    EXPECT_FALSE(audio.ssrc_from_packets) << c.fixture;
    const PublishedTrack& video = track_of(plan, MediaKind::kVideo);
    EXPECT_EQ(video.ssrc, 0u) << c.fixture;
    EXPECT_FALSE(video.rtx_ssrc) << c.fixture;
    EXPECT_TRUE(video.ssrc_from_packets) << c.fixture;
    EXPECT_EQ(video.rid, "f") << c.fixture;
    EXPECT_EQ(video.mid_id, c.mid_id) << c.fixture;
    EXPECT_EQ(video.rid_id, c.rid_id) << c.fixture;
    EXPECT_NE(plan.answer.find("a=simulcast:recv f"), std::string::npos) << c.fixture;
  }
}

// Without a=ssrc and without rids: named by the mid alone; without a mid
// extension it cannot be named and is not received.
TEST(Negotiation, TracksWithoutSsrcLinesAreNamedByMid) {
  std::string offer = fixture("firefox_publisher_offer.sdp");
  std::string no_ssrc;
  for (size_t at = 0; at < offer.size();) {
    size_t end = offer.find('\n', at);
    std::string line =
        offer.substr(at, end == std::string::npos ? std::string::npos : end - at + 1);
    if (!line.starts_with("a=ssrc")) no_ssrc += line;
    at = end == std::string::npos ? offer.size() : end + 1;
  }
  PublishPlan plan = plan_publish(no_ssrc, local());
  ASSERT_EQ(plan.tracks.size(), 2u);
  for (const PublishedTrack& t : plan.tracks) {
    EXPECT_EQ(t.ssrc, 0u);
    EXPECT_TRUE(t.ssrc_from_packets);
    EXPECT_TRUE(t.rid.empty());
    EXPECT_EQ(t.mid_id, 3);
  }
  std::string no_mid_extension = no_ssrc;
  for (size_t at; (at = no_mid_extension.find("a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid")) !=
                  std::string::npos;) {
    no_mid_extension.erase(at, no_mid_extension.find('\n', at) - at + 1);
  }
  EXPECT_TRUE(plan_publish(no_mid_extension, local()).tracks.empty());
}

// A guest listing VP8 twice (two payload types) or an extension twice cannot
// give the others an m= line with a payload type or extension ID twice,
// which their browsers would refuse with the whole offer.
TEST(Negotiation, DuplicatesInAnOfferAreOfferedOnce) {
  std::string offer = fixture("firefox_publisher_offer.sdp");
  auto insert_after = [&](const std::string& anchor, const std::string& line) {
    const size_t at = offer.find(anchor);
    ASSERT_NE(at, std::string::npos) << anchor;
    offer.insert(offer.find('\n', at) + 1, line);
  };
  offer.replace(offer.find("m=video 0 UDP/TLS/RTP/SAVPF 120 124"), 35,
                "m=video 0 UDP/TLS/RTP/SAVPF 120 124 98");
  insert_after("a=rtpmap:120 VP8/90000", "a=rtpmap:98 VP8/90000\r\n");
  insert_after("a=extmap:4 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
               "a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n");
  const PublishPlan plan = plan_publish(offer, local());
  const PublishedTrack& video = track_of(plan, MediaKind::kVideo);
  ASSERT_EQ(std::count_if(video.codecs.begin(), video.codecs.end(),
                          [](const sdp::Codec& c) { return c.is("VP8"); }),
            2);
  OfferedLine line;
  line.mid = "0";
  line.participant = "p1";
  line.track = video;
  line.bundle_tag = true;
  const sdp::SessionDescription sub = subscriber_offer({line}, local());
  std::vector<int> pts, ids;
  for (const sdp::Codec& c : sub.media[0].codecs) pts.push_back(c.payload_type);
  for (const sdp::Extmap& e : sub.media[0].extmaps) ids.push_back(e.id);
  EXPECT_EQ(pts, (std::vector<int>{96, 97}));
  EXPECT_EQ(ids, (std::vector<int>{2}));
  // Both of the guest's VP8 payload types still reach subscribers as 96.
  for (uint8_t pt : {120, 98}) {
    std::vector<std::byte> packet = rtp::test::hex("80 00 00 01  00 00 00 01  00 00 00 02  77");
    packet[1] = std::byte{pt};
    ASSERT_TRUE(subscriber_rewrite(video).apply(packet));
    EXPECT_EQ(packet[1], std::byte{96});
  }
}

TEST(Negotiation, OneNumberingForTracksOfBothBrowsers) {
  const PublishPlan chromium = plan_publish(fixture("chromium_publisher_offer.sdp"), local());
  const PublishPlan firefox = plan_publish(fixture("firefox_publisher_offer.sdp"), local());
  std::vector<OfferedLine> lines;
  for (const PublishPlan* plan : {&chromium, &firefox}) {
    for (const PublishedTrack& t : plan->tracks) {
      OfferedLine line;
      line.mid = std::to_string(lines.size());
      line.participant = plan == &chromium ? "p1" : "p2";
      line.track = t;
      line.bundle_tag = lines.empty();
      lines.push_back(line);
    }
  }
  ASSERT_EQ(lines.size(), 4u);
  const sdp::SessionDescription offer = subscriber_offer(lines, local());
  std::map<int, std::string> codec_of_pt;
  std::map<std::string, int> id_of_uri;
  std::map<int, std::string> uri_of_id;
  for (const sdp::MediaDescription& m : offer.media) {
    for (const sdp::Codec& c : m.codecs) {
      const std::string meaning = c.name + "/" + std::to_string(c.clock_rate) + " " +
                                  c.parameter("profile-level-id").value_or("") + " " +
                                  c.parameter("apt").value_or("");
      auto [it, fresh] = codec_of_pt.emplace(c.payload_type, meaning);
      EXPECT_EQ(it->second, meaning) << "payload type " << int(c.payload_type);
    }
    for (const sdp::Extmap& e : m.extmaps) {
      EXPECT_EQ(id_of_uri.emplace(e.uri, e.id).first->second, e.id) << e.uri;
      EXPECT_EQ(uri_of_id.emplace(e.id, e.uri).first->second, e.uri) << e.id;
    }
  }
  // Firefox's Opus is 109, Chromium's 109 an RTX: both Opus are 111 here.
  EXPECT_EQ(offer.media[0].codecs.front().payload_type, 111);
  EXPECT_EQ(offer.media[2].codecs.front().payload_type, 111);
  EXPECT_EQ(offer.media[3].codecs.front().name, "VP8");
  EXPECT_EQ(offer.media[3].codecs.front().payload_type, 96);
  EXPECT_EQ(offer.media[3].codecs[1].fmtp, "apt=96");
  EXPECT_EQ(id_of_uri.at(std::string(sdp::kExtensionAbsSendTime)), 2);
  EXPECT_EQ(id_of_uri.count(std::string(sdp::kExtensionMid)), 0u);

  // And Firefox's VP8 packets are renumbered to match: PT 120 -> 96,
  // abs-send-time 4 -> 2, mid (3) blanked.
  std::vector<std::byte> packet = rtp::test::hex(
      "90 78 00 01  00 00 00 01  D6 6D 7F 2A"
      "BE DE 00 02  30 31 42 0A  0B 0C 00 00  77");
  ASSERT_TRUE(subscriber_rewrite(track_of(firefox, MediaKind::kVideo)).apply(packet));
  rtp::RtpPacketView view;
  ASSERT_EQ(rtp::RtpPacketView::parse(packet, view), rtp::RtpError::kOk);
  EXPECT_EQ(view.payload_type(), 96);
  EXPECT_TRUE(view.find_extension(2));
  EXPECT_FALSE(view.find_extension(3));
  EXPECT_FALSE(view.find_extension(4));
}

}  // namespace
}  // namespace turnd::sfu::conference

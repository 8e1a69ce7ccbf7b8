// build_answer on Chromium's offers: ICE-lite, our transport, passive DTLS,
// BUNDLE of the same mids, the offer's payload types for the codecs the SFU
// forwards, rejected sections, mirrored directions; the generated answer is
// the one Chromium accepted (fixtures/sfu_publisher_answer.sdp).
#include "sfu/sdp/answer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sfu/sdp/fixture.h"

namespace turnd::sfu::sdp {
namespace {

using test::fixture;
using test::parsed;
using test::value_of;

AnswerOptions options() {
  AnswerOptions o;
  o.transport = test::test_transport();
  return o;
}

SessionDescription answer_to(const SessionDescription& offer, const AnswerOptions& o = options()) {
  return value_of(build_answer(offer, o));
}

std::vector<uint8_t> payload_types(const MediaDescription& m) {
  std::vector<uint8_t> pts;
  for (const Codec& c : m.codecs) pts.push_back(c.payload_type);
  return pts;
}

std::string error_of(const SessionDescription& offer) {
  auto result = build_answer(offer, options());
  return std::holds_alternative<SdpError>(result) ? std::get<SdpError>(result).reason : "";
}

TEST(SdpAnswer, AnswersChromiumOffer) {
  const SessionDescription offer = parsed(fixture("chromium_offer.sdp"));
  const SessionDescription answer = answer_to(offer);
  EXPECT_TRUE(answer.ice_lite);
  EXPECT_EQ(answer.origin.session_id, 4611731400430051336ull);
  ASSERT_NE(answer.bundle_group(), nullptr);
  EXPECT_EQ(answer.bundle_group()->mids, offer.bundle_group()->mids);
  ASSERT_EQ(answer.media.size(), offer.media.size());
  for (size_t i = 0; i < answer.media.size(); ++i) {
    const MediaDescription& m = answer.media[i];
    EXPECT_EQ(m.mid, offer.media[i].mid);
    EXPECT_EQ(m.media, offer.media[i].media);
    EXPECT_FALSE(m.rejected());
    EXPECT_EQ(m.ice_ufrag, "sfuUfrag");
    EXPECT_EQ(m.ice_pwd, "sfuPasswordSfuPassword24");
    EXPECT_EQ(m.fingerprint, (Fingerprint{"sha-256", test::kSfuFingerprint}));
    EXPECT_EQ(m.setup, Setup::kPassive);
    EXPECT_TRUE(m.rtcp_mux);
    EXPECT_TRUE(m.rtcp_rsize);
    EXPECT_EQ(m.direction, Direction::kRecvOnly);  // sendrecv offered, we only receive
    ASSERT_EQ(m.candidates.size(), 2u);
    EXPECT_EQ(m.candidates[1].tcptype, "passive");
    EXPECT_TRUE(m.end_of_candidates);
    EXPECT_TRUE(m.msids.empty());
    EXPECT_TRUE(m.ssrcs.empty());
  }
  const std::string text = answer.to_string();
  for (const char* line :
       {"a=ice-lite\r\n", "a=setup:passive\r\n", "a=group:BUNDLE 0 1\r\n", "a=rtcp-mux\r\n",
        "a=candidate:1 1 udp 2130706431 192.0.2.10 40000 typ host\r\n",
        "a=candidate:2 1 tcp 1520435199 192.0.2.10 443 typ host tcptype passive\r\n",
        "a=end-of-candidates\r\n", "a=recvonly\r\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line;
  }
}

TEST(SdpAnswer, ChoosesCodecsWithTheOffersPayloadTypes) {
  const SessionDescription offer = parsed(fixture("chromium_offer.sdp"));
  const SessionDescription answer = answer_to(offer);
  const MediaDescription& audio = answer.media[0];
  const MediaDescription& video = answer.media[1];
  EXPECT_EQ(payload_types(audio), (std::vector<uint8_t>{111}));  // Opus only: no red, G722, PCMU
  EXPECT_EQ(audio.formats, (std::vector<std::string>{"111"}));
  // VP8 + RTX, H.264 42001f and 42e01f with packetization-mode=1 + their RTX;
  // not H.264 mode 0 (104, 114, 39), main profile (116), AV1, VP9, red, ulpfec.
  EXPECT_EQ(payload_types(video), (std::vector<uint8_t>{96, 97, 102, 103, 108, 109}));
  for (const MediaDescription* m : {&audio, &video}) {
    const MediaDescription& offered = *offer.find_media(m->mid);
    for (const Codec& c : m->codecs) {
      const Codec* o = offered.find_codec(c.payload_type);
      ASSERT_NE(o, nullptr);
      EXPECT_EQ(c.name, o->name);
      EXPECT_EQ(c.clock_rate, o->clock_rate);
      EXPECT_EQ(c.channels, o->channels);
      EXPECT_EQ(c.fmtp, o->fmtp);
    }
  }
  EXPECT_EQ(video.find_codec(103)->parameter("apt"), "102");
  EXPECT_EQ(video.find_codec(96)->feedback, offer.media[1].find_codec(96)->feedback);
  EXPECT_EQ(audio.codecs[0].feedback, (std::vector<RtcpFeedback>{{"transport-cc", ""}}));
  // Header extensions: the four the SFU uses, with the offer's IDs.
  EXPECT_EQ(audio.extmaps, offer.media[0].extmaps);  // all four offered
  ASSERT_EQ(video.extmaps.size(), 3u);
  EXPECT_EQ(video.extmap_id(kExtensionAbsSendTime), 2);
  EXPECT_EQ(video.extmap_id(kExtensionTransportCc), 3);
  EXPECT_EQ(video.extmap_id(kExtensionMid), 4);
  EXPECT_FALSE(video.extmap_id("urn:ietf:params:rtp-hdrext:toffset"));
}

TEST(SdpAnswer, IsTheAnswerChromiumAccepted) {
  const SessionDescription offer = parsed(fixture("chromium_publisher_offer.sdp"));
  const SessionDescription answer = answer_to(offer);
  EXPECT_EQ(answer.to_string(), fixture("sfu_publisher_answer.sdp"));
  // sendonly tracks and a rejected data channel.
  EXPECT_EQ(answer.media[0].direction, Direction::kRecvOnly);
  EXPECT_EQ(answer.media[1].direction, Direction::kRecvOnly);
  EXPECT_TRUE(answer.media[2].rejected());
  EXPECT_EQ(answer.media[2].mid, "2");
  EXPECT_EQ(answer.bundle_group()->mids, (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(parsed(answer.to_string()), answer);
}

// Firefox offers every m= section but the BUNDLE tag with port 0 and
// a=bundle-only (RFC 8843 §6): bundled, not rejected. Treating port 0 as
// rejected lost Firefox's camera.
TEST(SdpAnswer, AcceptsFirefoxsBundleOnlySections) {
  const SessionDescription offer = parsed(fixture("firefox_publisher_offer.sdp"));
  ASSERT_EQ(offer.media.size(), 2u);
  EXPECT_EQ(offer.media[1].port, 0);
  EXPECT_TRUE(offer.media[1].bundle_only);
  EXPECT_FALSE(offer.media[1].rejected());
  const SessionDescription answer = answer_to(offer);
  EXPECT_EQ(answer.to_string(), fixture("sfu_firefox_publisher_answer.sdp"));
  ASSERT_EQ(answer.media.size(), 2u);
  for (const MediaDescription& m : answer.media) {
    EXPECT_FALSE(m.rejected()) << m.mid;
    EXPECT_FALSE(m.bundle_only) << m.mid;
    EXPECT_EQ(m.direction, Direction::kRecvOnly) << m.mid;
  }
  EXPECT_EQ(payload_types(answer.media[0]), (std::vector<uint8_t>{109}));       // opus
  EXPECT_EQ(payload_types(answer.media[1]), (std::vector<uint8_t>{120, 124}));  // VP8, its RTX
  EXPECT_EQ(answer.bundle_group()->mids, (std::vector<std::string>{"0", "1"}));
}

// A publisher sends the answer's first codec: VP8 (every browser decodes it)
// even when the offer prefers H.264.
TEST(SdpAnswer, PutsVp8First) {
  SessionDescription offer = parsed(fixture("chromium_offer.sdp"));
  std::vector<Codec>& video = offer.media[1].codecs;
  std::stable_partition(video.begin(), video.end(), [](const Codec& c) { return c.is("H264"); });
  ASSERT_TRUE(video.front().is("H264"));
  const SessionDescription answer = answer_to(offer);
  const std::vector<Codec>& answered = answer.media[1].codecs;
  ASSERT_GE(answered.size(), 4u);
  EXPECT_TRUE(answered[0].is("VP8"));
  EXPECT_TRUE(answered[1].is("rtx"));
  EXPECT_EQ(answered[1].parameter("apt"), std::to_string(answered[0].payload_type));
  EXPECT_TRUE(
      std::any_of(answered.begin(), answered.end(), [](const Codec& c) { return c.is("H264"); }));
}

TEST(SdpAnswer, BundleOnlyOutsideBundleIsRejected) {
  SessionDescription offer = parsed(fixture("firefox_publisher_offer.sdp"));
  offer.groups.clear();
  const SessionDescription answer = answer_to(offer);
  EXPECT_FALSE(answer.media[0].rejected());
  EXPECT_TRUE(answer.media[1].rejected());
}

TEST(SdpAnswer, RejectsSectionsWithoutForwardedCodecs) {
  SessionDescription offer = parsed(fixture("chromium_offer.sdp"));
  // Video with only VP9 and AV1 left.
  MediaDescription& video = offer.media[1];
  std::erase_if(video.codecs, [](const Codec& c) { return !c.is("VP9") && !c.is("AV1"); });
  video.formats.clear();
  for (const Codec& c : video.codecs) video.formats.push_back(std::to_string(c.payload_type));
  const SessionDescription answer = answer_to(offer);
  const MediaDescription& m = answer.media[1];
  EXPECT_TRUE(m.rejected());
  EXPECT_EQ(m.mid, "1");
  EXPECT_EQ(m.direction, Direction::kInactive);
  EXPECT_EQ(m.formats.size(), 1u);
  EXPECT_TRUE(m.candidates.empty());
  EXPECT_EQ(answer.bundle_group()->mids, (std::vector<std::string>{"0"}));
  const std::string text = answer.to_string();
  EXPECT_NE(text.find("m=video 0 UDP/TLS/RTP/SAVPF 45\r\n"), std::string::npos);
  EXPECT_EQ(parsed(text), answer);
}

TEST(SdpAnswer, CodecPolicy) {
  const SessionDescription offer = parsed(fixture("chromium_offer.sdp"));
  AnswerOptions o = options();
  o.codecs.vp8 = false;
  EXPECT_EQ(payload_types(answer_to(offer, o).media[1]),
            (std::vector<uint8_t>{102, 103, 108, 109}));
  o.codecs = {true, false};
  EXPECT_EQ(payload_types(answer_to(offer, o).media[1]), (std::vector<uint8_t>{96, 97}));
  o.codecs = {false, false};
  EXPECT_TRUE(answer_to(offer, o).media[1].rejected());
}

TEST(SdpAnswer, MirrorsDirections) {
  SessionDescription offer = parsed(fixture("chromium_offer.sdp"));
  AnswerOptions both = options();
  both.send = true;
  struct Case {
    Direction offered;
    Direction receive_only;
    Direction send_and_receive;
  };
  for (const Case& c : {Case{Direction::kSendRecv, Direction::kRecvOnly, Direction::kSendRecv},
                        Case{Direction::kSendOnly, Direction::kRecvOnly, Direction::kRecvOnly},
                        Case{Direction::kRecvOnly, Direction::kInactive, Direction::kSendOnly},
                        Case{Direction::kInactive, Direction::kInactive, Direction::kInactive}}) {
    offer.media[0].direction = c.offered;
    EXPECT_EQ(answer_to(offer).media[0].direction, c.receive_only);
    EXPECT_EQ(answer_to(offer, both).media[0].direction, c.send_and_receive);
  }
  offer.media[0].extmaps[0].direction = Direction::kSendOnly;
  EXPECT_EQ(answer_to(offer).media[0].extmaps[0].direction, Direction::kRecvOnly);
}

TEST(SdpAnswer, RejectsUnbundledAndNonMuxedSections) {
  SessionDescription offer = parsed(fixture("chromium_offer.sdp"));
  offer.groups[0].mids = {"1"};
  SessionDescription answer = answer_to(offer);
  EXPECT_TRUE(answer.media[0].rejected());
  EXPECT_FALSE(answer.media[1].rejected());

  offer = parsed(fixture("chromium_offer.sdp"));
  offer.media[1].rtcp_mux = false;
  answer = answer_to(offer);
  EXPECT_FALSE(answer.media[0].rejected());
  EXPECT_TRUE(answer.media[1].rejected());

  // Without any BUNDLE group, the first section alone is served.
  offer = parsed(fixture("chromium_offer.sdp"));
  offer.groups.clear();
  answer = answer_to(offer);
  EXPECT_FALSE(answer.media[0].rejected());
  EXPECT_TRUE(answer.media[1].rejected());
  EXPECT_TRUE(answer.groups.empty());

  // An offer rejecting a section gets it rejected back.
  offer = parsed(fixture("chromium_offer.sdp"));
  offer.media[0].port = 0;
  offer.groups[0].mids = {"1"};
  EXPECT_TRUE(answer_to(offer).media[0].rejected());
}

TEST(SdpAnswer, RefusesOffersWithoutTransport) {
  SessionDescription offer = parsed(fixture("chromium_offer.sdp"));
  offer.media[0].fingerprint.reset();
  EXPECT_NE(error_of(offer).find("a=fingerprint"), std::string::npos);

  offer = parsed(fixture("chromium_offer.sdp"));
  offer.media[0].ice_pwd.clear();
  EXPECT_NE(error_of(offer).find("a=ice-pwd"), std::string::npos);

  offer = parsed(fixture("chromium_offer.sdp"));
  offer.media[0].setup = Setup::kPassive;
  EXPECT_NE(error_of(offer).find("a=setup:passive"), std::string::npos);

  offer = parsed(fixture("chromium_offer.sdp"));
  offer.media[0].setup = Setup::kActive;  // allowed: we stay passive
  EXPECT_EQ(error_of(offer), "");

  offer = parsed(fixture("chromium_offer.sdp"));
  offer.media.clear();
  offer.groups.clear();
  EXPECT_NE(error_of(offer).find("no m= section"), std::string::npos);
}

TEST(SdpCodecs, Predicates) {
  Codec opus{111, "opus", 48000, 2, "", {}};
  EXPECT_TRUE(is_forwarded_codec(opus, "audio", {}));
  EXPECT_FALSE(is_forwarded_codec(opus, "video", {}));
  EXPECT_FALSE(is_forwarded_codec(Codec{111, "opus", 48000, 1, "", {}}, "audio", {}));
  EXPECT_TRUE(is_forwarded_codec(Codec{96, "vp8", 90000, 0, "", {}}, "video", {}));
  EXPECT_TRUE(is_forwarded_codec(
      Codec{102, "H264", 90000, 0, "profile-level-id=42E01F; packetization-mode=1", {}}, "video",
      {}));
  EXPECT_FALSE(is_forwarded_codec(
      Codec{102, "H264", 90000, 0, "profile-level-id=640c1f;packetization-mode=1", {}}, "video",
      {}));
  EXPECT_FALSE(
      is_forwarded_codec(Codec{102, "H264", 90000, 0, "profile-level-id=42e01f", {}}, "video", {}));
  EXPECT_TRUE(is_forwarded_feedback({"nack", "pli"}));
  EXPECT_FALSE(is_forwarded_feedback({"nack", "sli"}));
  EXPECT_FALSE(is_forwarded_feedback({"ccm", "tmmbr"}));
  EXPECT_TRUE(is_forwarded_extension(kExtensionAudioLevel));
  EXPECT_FALSE(is_forwarded_extension("urn:3gpp:video-orientation"));
}

}  // namespace
}  // namespace turnd::sfu::sdp

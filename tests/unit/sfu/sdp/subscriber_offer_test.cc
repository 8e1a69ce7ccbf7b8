// build_subscriber_offer: one send-only m= section per track with the
// publisher's payload types, SSRCs, cname and msid; the offer Chromium
// accepted (fixtures/sfu_subscriber_offer.sdp) and its answer checked.
#include "sfu/sdp/subscriber_offer.h"

#include <gtest/gtest.h>

#include "sfu/sdp/fixture.h"

namespace turnd::sfu::sdp {
namespace {

using test::fixture;
using test::parsed;
using test::value_of;

std::vector<OutgoingTrack> fixture_tracks() {
  const SessionDescription publisher_offer = parsed(fixture("chromium_publisher_offer.sdp"));
  AnswerOptions options;
  options.transport = test::test_transport();
  return test::test_subscriber_tracks(value_of(build_answer(publisher_offer, options)));
}

SessionDescription fixture_offer() {
  return value_of(build_subscriber_offer(fixture_tracks(), test::test_transport()));
}

std::string build_error(const std::vector<OutgoingTrack>& tracks) {
  auto result = build_subscriber_offer(tracks, test::test_transport());
  return std::holds_alternative<SdpError>(result) ? std::get<SdpError>(result).reason : "";
}

std::string check_error(const SessionDescription& offer, const SessionDescription& answer) {
  auto result = check_answer(offer, answer);
  return std::holds_alternative<SdpError>(result) ? std::get<SdpError>(result).reason : "";
}

TEST(SubscriberOffer, IsTheOfferChromiumAccepted) {
  EXPECT_EQ(fixture_offer().to_string(), fixture("sfu_subscriber_offer.sdp"));
}

TEST(SubscriberOffer, Structure) {
  const std::vector<OutgoingTrack> tracks = fixture_tracks();
  const SessionDescription offer = fixture_offer();
  EXPECT_TRUE(offer.ice_lite);
  ASSERT_EQ(offer.media.size(), 3u);
  EXPECT_EQ(offer.bundle_group()->mids, (std::vector<std::string>{"0", "1"}));
  const MediaDescription& video = offer.media[1];
  EXPECT_EQ(video.direction, Direction::kSendOnly);
  EXPECT_EQ(video.setup, Setup::kActpass);
  EXPECT_EQ(video.ice_ufrag, "sfuUfrag");
  EXPECT_EQ(video.codecs, tracks[1].codecs);  // the publisher's payload types
  EXPECT_EQ(video.extmaps, tracks[1].extmaps);
  EXPECT_EQ(video.msids, (std::vector<Msid>{{"stream-1", "track-1"}}));
  EXPECT_EQ(video.ssrc_groups, (std::vector<SsrcGroup>{{"FID", {1001, 1002}}}));
  ASSERT_EQ(video.ssrcs.size(), 2u);
  EXPECT_EQ(video.ssrcs[1].ssrc, 1002u);
  EXPECT_EQ(video.ssrcs[1].cname, "participant-1");
  EXPECT_EQ(video.ssrcs[1].msid, (Msid{"stream-1", "track-1"}));
  EXPECT_TRUE(offer.media[0].ssrc_groups.empty());  // audio: no RTX
  EXPECT_EQ(offer.media[0].ssrcs.size(), 1u);
  // The ended track: port 0, inactive, out of the bundle, one format.
  const MediaDescription& ended = offer.media[2];
  EXPECT_TRUE(ended.rejected());
  EXPECT_EQ(ended.direction, Direction::kInactive);
  EXPECT_EQ(ended.formats, (std::vector<std::string>{"96"}));
  EXPECT_TRUE(ended.ssrcs.empty());
  EXPECT_EQ(parsed(offer.to_string()), offer);
}

TEST(SubscriberOffer, ChromiumsAnswerChecks) {
  const SessionDescription offer = parsed(fixture("sfu_subscriber_offer.sdp"));
  const SessionDescription answer = parsed(fixture("chromium_subscriber_answer.sdp"));
  const RemoteTransport remote = value_of(check_answer(offer, answer));
  EXPECT_EQ(remote.mid, "0");
  EXPECT_EQ(remote.ice_ufrag, answer.media[0].ice_ufrag);
  EXPECT_EQ(remote.ice_pwd, answer.media[0].ice_pwd);
  EXPECT_EQ(remote.fingerprint.algorithm, "sha-256");
  EXPECT_EQ(remote.setup, Setup::kActive);
  // Chromium kept our payload types and receives what we send.
  EXPECT_EQ(answer.media[1].codecs.size(), offer.media[1].codecs.size());
  EXPECT_EQ(answer.media[1].direction, Direction::kRecvOnly);
  EXPECT_TRUE(answer.media[2].rejected());
}

// Firefox ESR 153 answering the same offer (Chromium's codecs and IDs).
TEST(SubscriberOffer, FirefoxsAnswerChecks) {
  const SessionDescription offer = parsed(fixture("sfu_subscriber_offer.sdp"));
  const SessionDescription answer = parsed(fixture("firefox_subscriber_answer.sdp"));
  const RemoteTransport remote = value_of(check_answer(offer, answer));
  EXPECT_EQ(remote.mid, "0");
  EXPECT_EQ(remote.setup, Setup::kActive);
  EXPECT_EQ(answer.media[1].direction, Direction::kRecvOnly);
  EXPECT_FALSE(answer.media[1].rejected());
  EXPECT_TRUE(answer.media[2].rejected());
}

TEST(SubscriberOffer, CheckAnswerRefusesMismatches) {
  const SessionDescription offer = parsed(fixture("sfu_subscriber_offer.sdp"));
  const SessionDescription good = parsed(fixture("chromium_subscriber_answer.sdp"));

  SessionDescription answer = good;
  answer.media.pop_back();
  EXPECT_NE(check_error(offer, answer).find("m= sections"), std::string::npos);

  answer = good;
  answer.media[1].mid = "x";
  EXPECT_NE(check_error(offer, answer).find("is not the offer's"), std::string::npos);

  answer = good;
  answer.media[0].codecs[0].payload_type = 112;
  EXPECT_NE(check_error(offer, answer).find("which we did not offer"), std::string::npos);

  answer = good;
  answer.media[2].port = 9;  // accepts the ended track
  EXPECT_NE(check_error(offer, answer).find("we rejected"), std::string::npos);

  answer = good;
  for (MediaDescription& m : answer.media) m.setup = Setup::kPassive;
  EXPECT_NE(check_error(offer, answer).find("a=setup:active"), std::string::npos);

  answer = good;
  for (MediaDescription& m : answer.media) m.fingerprint.reset();
  EXPECT_NE(check_error(offer, answer).find("a=fingerprint"), std::string::npos);
}

TEST(SubscriberOffer, RefusesBadTracks) {
  std::vector<OutgoingTrack> tracks = fixture_tracks();
  tracks[1].mid = tracks[0].mid;
  EXPECT_NE(build_error(tracks).find("duplicate mid"), std::string::npos);

  tracks = fixture_tracks();
  tracks[0].kind = "application";
  EXPECT_NE(build_error(tracks).find("not audio or video"), std::string::npos);

  tracks = fixture_tracks();
  tracks[0].codecs.clear();
  EXPECT_NE(build_error(tracks).find("no codec"), std::string::npos);

  tracks = fixture_tracks();
  tracks[0].cname.clear();
  EXPECT_NE(build_error(tracks).find("cname"), std::string::npos);

  tracks = fixture_tracks();
  tracks[0].mid.clear();
  EXPECT_NE(build_error(tracks).find("without a mid"), std::string::npos);

  // An ended track needs nothing but its mid and kind.
  OutgoingTrack ended;
  ended.mid = "5";
  ended.kind = "audio";
  ended.state = LineState::kRejected;
  const SessionDescription offer =
      value_of(build_subscriber_offer({ended}, test::test_transport()));
  EXPECT_TRUE(offer.media[0].rejected());
  EXPECT_TRUE(offer.groups.empty());
  EXPECT_EQ(parsed(offer.to_string()), offer);
}

// A tag whose track ended stays in the BUNDLE group, inactive and without
// SSRCs; a tag elsewhere than the first line still leads the group.
TEST(SubscriberOffer, TheBundleTagLeadsTheGroupAndGoesInactiveNotRejected) {
  std::vector<OutgoingTrack> tracks = fixture_tracks();  // 0 audio, 1 video, 9 rejected
  tracks[1].bundle_tag = true;
  SessionDescription offer = value_of(build_subscriber_offer(tracks, test::test_transport()));
  EXPECT_EQ(offer.bundle_group()->mids, (std::vector<std::string>{"1", "0"}));

  tracks[1].state = LineState::kInactive;
  offer = value_of(build_subscriber_offer(tracks, test::test_transport()));
  const MediaDescription& tag = offer.media[1];
  EXPECT_FALSE(tag.rejected());
  EXPECT_EQ(tag.direction, Direction::kInactive);
  EXPECT_TRUE(tag.ssrcs.empty());
  EXPECT_TRUE(tag.msids.empty());
  EXPECT_EQ(tag.ice_ufrag, "sfuUfrag");
  EXPECT_EQ(offer.bundle_group()->mids, (std::vector<std::string>{"1", "0"}));
  EXPECT_EQ(parsed(offer.to_string()), offer);

  tracks[1].state = LineState::kRejected;
  EXPECT_NE(build_error(tracks).find("BUNDLE tag"), std::string::npos);
  tracks[1].state = LineState::kSending;
  tracks[0].bundle_tag = true;
  EXPECT_NE(build_error(tracks).find("more than one"), std::string::npos);
}

TEST(SubscriberOffer, NoTracks) {
  const SessionDescription offer = value_of(build_subscriber_offer({}, test::test_transport()));
  EXPECT_TRUE(offer.media.empty());
  EXPECT_EQ(parsed(offer.to_string()), offer);
}

}  // namespace
}  // namespace turnd::sfu::sdp

// Which encoding of a simulcast offer the SFU receives (a=rid, a=simulcast),
// on Chromium's and Firefox's captured offers (three layers q;h;f) and on
// hand-made variants; the answer names that one encoding.
#include "sfu/sdp/simulcast.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sfu/sdp/answer.h"
#include "sfu/sdp/fixture.h"

namespace turnd::sfu::sdp {
namespace {

using test::fixture;
using test::parsed;
using test::value_of;

MediaDescription with(std::vector<Attribute> attributes) {
  MediaDescription m;
  m.other = std::move(attributes);
  return m;
}

TEST(Simulcast, BothBrowsersOfferThreeLayers) {
  for (const char* name : {"chromium_simulcast_offer.sdp", "firefox_simulcast_offer.sdp"}) {
    const SessionDescription offer = parsed(fixture(name));
    ASSERT_EQ(offer.media.size(), 2u) << name;
    EXPECT_EQ(send_rids(offer.media[1]), (std::vector<std::string>{"q", "h", "f"})) << name;
    EXPECT_EQ(chosen_rid(offer.media[1]), "f") << name;
    EXPECT_TRUE(send_rids(offer.media[0]).empty()) << name;
  }
}

TEST(Simulcast, ReadsTheSendListLikeRfc8853) {
  // Order from a=simulcast; first alternative of a stream; paused skipped;
  // only rids declared "send".
  EXPECT_EQ(
      send_rids(with(
          {{"rid", "a send"}, {"rid", "b send"}, {"rid", "c send"}, {"simulcast", "send c;a,b"}})),
      (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(send_rids(with({{"rid", "a send"}, {"rid", "b send"}, {"simulcast", "send a;~b"}})),
            (std::vector<std::string>{"a"}));
  EXPECT_EQ(
      send_rids(with({{"rid", "a send"}, {"rid", "r recv"}, {"simulcast", "recv r send a;x"}})),
      (std::vector<std::string>{"a"}));
  // Without a=simulcast: the a=rid order.
  EXPECT_EQ(send_rids(with({{"rid", "lo send max-width=320"}, {"rid", "hi send"}})),
            (std::vector<std::string>{"lo", "hi"}));
  // Nothing usable.
  EXPECT_TRUE(send_rids(with({{"simulcast", "send a;b"}})).empty());
  EXPECT_TRUE(send_rids(with({{"rid", "bad:id send"},
                              {"rid", std::nullopt},
                              {"rid", "x"},
                              {"rid", std::string(40, 'a') + " send"}}))
                  .empty());
  EXPECT_EQ(chosen_rid(with({})), "");
  // At most 16, however many are declared.
  std::vector<Attribute> many;
  for (int i = 0; i < 1000; ++i) many.push_back({"rid", "r" + std::to_string(i) + " send"});
  EXPECT_EQ(send_rids(with(many)).size(), 16u);
  EXPECT_EQ(chosen_rid(with(many)), "r15");
}

TEST(Simulcast, TheAnswerReceivesOneEncoding) {
  for (const char* name : {"chromium_simulcast_offer.sdp", "firefox_simulcast_offer.sdp"}) {
    AnswerOptions options;
    options.transport = test::test_transport();
    const SessionDescription answer = value_of(build_answer(parsed(fixture(name)), options));
    const MediaDescription& video = answer.media[1];
    EXPECT_FALSE(video.rejected()) << name;
    EXPECT_EQ(video.other, (std::vector<Attribute>{{"rid", "f recv"}, {"simulcast", "recv f"}}))
        << name;
    EXPECT_TRUE(video.extmap_id(kExtensionRtpStreamId)) << name;
    EXPECT_TRUE(video.extmap_id(kExtensionMid)) << name;
    EXPECT_TRUE(answer.media[0].other.empty()) << name;
    EXPECT_FALSE(answer.media[0].extmap_id(kExtensionRtpStreamId)) << name;
  }
}

}  // namespace
}  // namespace turnd::sfu::sdp

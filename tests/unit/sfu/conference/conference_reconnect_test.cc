// A path or a WebSocket lost mid-call (issue 13): ICE restarts both ways
// and a participant resumed by a new connection, on the Conference fixture.
#include "tests/unit/sfu/conference/conference_fixture.h"

namespace turnd::sfu::conference::test {
namespace {

// A lost path (issue 13): the publisher's browser restarts ICE with a new
// ufrag in its next offer and gets new credentials back; the subscriber's is
// restarted on request with a new offer. Offers keep flowing one way each.
TEST_F(ConferenceTest, IceRestartsGiveNewCredentialsBothWays) {
  join(1, "Alice");
  join(2, "Bob");
  std::string offer = audio_offer(1, 1000);
  send(1, {{"type", "publish"}, {"sdp", offer}, {"tracks", json::array()}});
  ASSERT_EQ(last(1)["type"], "publish-answer") << last(1).dump();
  std::string first = ufrag_of(last(1)["sdp"]);
  send(1, {{"type", "publish"},
           {"sdp", offer},
           {"tracks", json::array()}});  // the same ufrag: no restart
  ASSERT_EQ(last(1)["type"], "publish-answer") << last(1).dump();
  EXPECT_EQ(ufrag_of(last(1)["sdp"]), first);
  std::string restarted = offer;
  restarted.replace(restarted.find("a=ice-ufrag:brws"), 16, "a=ice-ufrag:brw2");
  send(1, {{"type", "publish"}, {"sdp", restarted}, {"tracks", json::array()}});
  ASSERT_EQ(last(1)["type"], "publish-answer") << last(1).dump();
  std::string second = ufrag_of(last(1)["sdp"]);
  EXPECT_FALSE(second.empty());
  EXPECT_NE(second, first);

  // Bob answers whatever offers came (Alice's changes came one after another).
  json bob_offer;
  while (last(2)["type"] == "offer" && last(2) != bob_offer) {
    bob_offer = last(2);
    send(2, {{"type", "answer"}, {"sdp", answer_to(bob_offer["sdp"])}});
  }
  size_t offers = signal_.of(2, "offer").size();
  send(2, {{"type", "restart-ice"}});
  ASSERT_EQ(signal_.of(2, "offer").size(), offers + 1) << last(2).dump();
  ASSERT_EQ(last(2)["type"], "offer") << last(2).dump();
  EXPECT_NE(ufrag_of(last(2)["sdp"]), ufrag_of(bob_offer["sdp"]));
  send(2, {{"type", "answer"}, {"sdp", answer_to(last(2)["sdp"])}});
  EXPECT_NE(last(2)["type"], "error");
  // Each restart costs an offer: bounded like publishing.
  for (int i = 0; i < 20; ++i) send(2, {{"type", "restart-ice"}});
  EXPECT_EQ(last(2)["code"], "too-fast");
}

// A lost WebSocket (issue 13): the participant stays for the resume window,
// unseen by the others, and a new connection takes it over with its
// single-use token; an unknown or spent token is refused; without a resume
// it leaves as `timeout`.
TEST_F(ConferenceTest, ALostWebSocketIsResumedWithItsToken) {
  join(1, "Alice");
  join(2, "Bob");
  json joined = signal_.of(1, "joined").back();
  std::string token = joined["resume"];
  EXPECT_EQ(token.size(), 32u);
  size_t bob_heard = signal_.sent[2].size();
  conference_->on_close(1);
  clock_.advance(Seconds(10));
  conference_->on_timer();
  EXPECT_EQ(signal_.of(2, "participant-left").size(), 0u);

  open(3);
  send(3, {{"type", "resume"}, {"token", "0123456789abcdef0123456789abcdef"}});
  EXPECT_EQ(last(3)["code"], "no-session");
  send(3, {{"type", "resume"}, {"token", token}});
  json resumed = signal_.of(3, "joined").back();
  EXPECT_EQ(resumed["resumed"], true);
  EXPECT_EQ(resumed["id"], joined["id"]);
  EXPECT_NE(resumed["resume"], token);
  EXPECT_EQ(resumed["participants"].size(), 1u);
  EXPECT_EQ(signal_.sent[2].size(), bob_heard);  // Bob saw nothing of it
  open(4);
  send(4, {{"type", "resume"}, {"token", token}});  // single use
  EXPECT_EQ(last(4)["code"], "no-session");
  ASSERT_EQ(visits_.size(), 2u);  // one visit each, no second row for Alice

  conference_->on_close(3);
  clock_.advance(Seconds(31));
  conference_->on_timer();
  ASSERT_EQ(signal_.of(2, "participant-left").size(), 1u);
  EXPECT_EQ(signal_.of(2, "participant-left").back()["reason"], "timeout");
  open(5);
  send(5, {{"type", "resume"}, {"token", resumed["resume"]}});  // gone with it
  EXPECT_EQ(last(5)["code"], "no-session");
}

}  // namespace
}  // namespace turnd::sfu::conference::test

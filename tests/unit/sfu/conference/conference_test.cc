// The Conference's control logic with real parts — a real code check
// (scrypt), a real Chromium offer, the SDP library, transports on a real
// media endpoint — and a fake signalling server that records what each
// connection is sent. Media itself is proven end to end with Chromium
// (tests/db/test_sfu_browser.sh).
#include "tests/unit/sfu/conference/conference_fixture.h"

namespace turnd::sfu::conference::test {
namespace {

TEST_F(ConferenceTest, WrongCodesAreDelayedThenThrottledWhileOthersJoin) {
  options_.join_limits.host = {2, 4, Seconds(60), Milliseconds(1000), Milliseconds(4000)};
  restart();
  open(1);
  for (int i = 0; i < 2; ++i) {
    send(1, join_request("team", "nope-nope-nope"));
    mailbox_.run();
    EXPECT_EQ(last(1)["code"], "wrong-code");
  }
  for (int wait : {1, 2}) {  // past the free tries: 1 s, then 2 s before the check
    size_t replies = signal_.sent[1].size();
    send(1, join_request("team", "nope-nope-nope"));
    EXPECT_EQ(mailbox_.run_ready(std::chrono::milliseconds(300)), 0u);  // nothing checked yet
    clock_.advance(Seconds(wait - 1));
    conference_->on_timer();
    EXPECT_EQ(mailbox_.run_ready(std::chrono::milliseconds(300)), 0u);
    clock_.advance(Seconds(1));
    conference_->on_timer();
    mailbox_.run();
    ASSERT_EQ(signal_.sent[1].size(), replies + 1);
    EXPECT_EQ(last(1)["code"], "wrong-code");
  }
  send(1, join_request("team", kCode));     // even the right code, from there
  EXPECT_EQ(last(1)["code"], "throttled");  // refused before any check
  send(1, join_request("nowhere", kCode));
  EXPECT_EQ(last(1)["code"], "throttled");
  join(2, "Bob");  // the same /24, another address: in at once
  EXPECT_EQ(last(2)["type"], "joined");
  EXPECT_EQ(conference_->counters().throttled_joins, 2u);
}

TEST_F(ConferenceTest, AnUnknownRoomAnswersExactlyLikeAWrongCode) {
  open(1);
  send(1, join_request("nowhere", kCode));
  mailbox_.run();  // a code check ran all the same
  open(2);
  send(2, join_request("team", "nope-nope-nope"));
  mailbox_.run();
  EXPECT_EQ(last(1), last(2));
  EXPECT_EQ(last(1)["code"], "wrong-code");
  rooms_.replace({});  // a room deleted while somebody types
  open(3);
  send(3, join_request("team", kCode));
  mailbox_.run();
  EXPECT_EQ(last(3), last(2));
}

TEST_F(ConferenceTest, LockedAndFullAreToldOnlyToTheRightCode) {
  join(1, "Mod", kModeratorCode);
  send(1, {{"type", "lock"}, {"locked", true}});
  open(2);
  send(2, join_request("team", "nope-nope-nope"));
  mailbox_.run();
  EXPECT_EQ(last(2)["code"], "wrong-code");
  send(2, join_request("team", kCode));
  mailbox_.run();
  EXPECT_EQ(last(2)["code"], "room-locked");
}

// Guesses sent in parallel: no more go to the check than could carry the
// address to refuse_at; the rest are told `busy`.
TEST_F(ConferenceTest, ParallelGuessesFromOneAddressAreBounded) {
  options_.join_limits.host = {100, 3, Seconds(60), Milliseconds(0), Milliseconds(0)};
  restart();
  for (ConnectionId c = 1; c <= 6; ++c) {
    open_from(c, "192.0.2.66:" + std::to_string(1000 + c));
    send(c, join_request("team", "guess-" + std::to_string(c)));
  }
  for (ConnectionId c = 4; c <= 6; ++c) EXPECT_EQ(last(c)["code"], "busy");
  mailbox_.run(3);
  for (ConnectionId c = 1; c <= 3; ++c) EXPECT_EQ(last(c)["code"], "wrong-code");
  send(4, join_request("team", kCode));
  EXPECT_EQ(last(4)["code"], "throttled");
  EXPECT_EQ(conference_->counters().busy_joins, 3u);
}

// A school behind one NAT address: 200 people join at once with the default
// limits, one in ten mistyping the code first; `busy` is retried after 2 s as
// the page does. Everyone is in within a minute (simulated time; the room's
// hashes are cheap so the test is quick, the throttle's decisions are the
// same).
TEST_F(ConferenceTest, TwoHundredPeopleBehindOneAddressJoinWithinAMinute) {
  db::CodeHashParams cheap;
  cheap.scrypt_n = 1024;
  db::Room school;
  school.id = 8;
  school.slug = "school";
  school.participant_code_hash = db::hash_code(kCode, cheap);
  school.moderator_code_hash = db::hash_code(kModeratorCode, cheap);
  rooms_.replace({team_, school});
  struct Person {
    ConnectionId id;
    bool typo;
    size_t replies_seen = 0;
    std::optional<SteadyTime> retry_at;
    bool in = false;
  };
  std::vector<Person> people;
  auto send_join = [&](Person& p) {
    p.replies_seen = signal_.sent[p.id].size();
    send(p.id, join_request("school", p.typo ? "k7pm-2qxd-9hfa-wr3x" : kCode));
    p.typo = false;  // the second try is right
  };
  for (int i = 0; i < 200; ++i) {
    people.push_back({static_cast<ConnectionId>(100 + i), i % 10 == 0});
    open_from(people.back().id, "203.0.113.7:" + std::to_string(20000 + i));
  }
  for (Person& p : people) send_join(p);
  const SteadyTime start = clock_.now();
  size_t in = 0;
  while (in < people.size() && clock_.now() - start <= Seconds(60)) {
    mailbox_.run_ready(std::chrono::milliseconds(30));
    for (Person& p : people) {
      auto& sent = signal_.sent[p.id];
      for (; !p.in && !p.retry_at && p.replies_seen < sent.size(); ++p.replies_seen) {
        const json& m = sent[p.replies_seen];
        if (m["type"] == "joined") {
          p.in = true;
          ++in;
        } else if (m["type"] == "error") {
          ASSERT_TRUE(m["code"] == "busy" || m["code"] == "wrong-code") << m.dump();
          p.retry_at = clock_.now() + Seconds(2);
        }
      }
      if (p.retry_at && *p.retry_at <= clock_.now()) {
        p.retry_at.reset();
        send_join(p);
      }
    }
    clock_.advance(Seconds(1));
    conference_->on_timer();
  }
  EXPECT_EQ(in, people.size());
  EXPECT_LE(clock_.now() - start, Seconds(60));
  EXPECT_EQ(conference_->counters().throttled_joins, 0u);
}

// A connection must ask to join within join_deadline (10 s): idle ones are
// closed, people in a room and joins under way are not.
TEST_F(ConferenceTest, ConnectionsThatNeverJoinAreClosed) {
  join(1, "Alice");
  open(2);  // says nothing
  open(3);
  clock_.advance(Seconds(9));
  send(3, join_request("team", "nope-nope-nope"));  // tries (and fails) at 9 s
  mailbox_.run();
  conference_->on_timer();
  EXPECT_TRUE(signal_.closed.empty());
  clock_.advance(Seconds(1));
  conference_->on_timer();
  EXPECT_EQ(signal_.closed, (std::vector<ConnectionId>{2}));
  clock_.advance(Seconds(10));
  conference_->on_timer();
  conference_->on_timer();  // closed once
  EXPECT_EQ(signal_.closed, (std::vector<ConnectionId>{2, 3}));
  EXPECT_EQ(conference_->participant_count(), 1u);
}

// turns: needs a host name for Firefox: the configured one, else the name the
// browser reached the page by, else the address.
TEST_F(ConferenceTest, TurnOverTlsGoesToAHostName) {
  options_.turns_port = 443;
  options_.turns_address = "192.0.2.1";
  restart();
  auto turns_url_of = [&](ConnectionId c, const std::string& page_host) {
    conference_->on_open(c, *SocketAddress::parse("198.51.100.9:5000"), page_host);
    send(c, {{"type", "join"}, {"room", "team"}, {"code", kCode}, {"name", "P"}});
    mailbox_.run();
    const json urls = last(c)["iceServers"][0]["urls"];
    EXPECT_EQ(urls.size(), 3u);
    return urls.back().get<std::string>();
  };
  EXPECT_EQ(turns_url_of(1, "meet.example.org"), "turns:meet.example.org:443?transport=tcp");
  EXPECT_EQ(turns_url_of(2, ""), "turns:192.0.2.1:443?transport=tcp");
  options_.turns_host = "turn.example.org";
  restart();
  EXPECT_EQ(turns_url_of(3, "meet.example.org"), "turns:turn.example.org:443?transport=tcp");
}

TEST_F(ConferenceTest, JoinersGetTurnCredentialsAndSeeEachOther) {
  join(1, "Alice");
  json joined = last(1);
  ASSERT_EQ(joined["type"], "joined");
  EXPECT_EQ(joined["moderator"], false);
  EXPECT_EQ(joined["room"]["name"], "The Team");
  EXPECT_TRUE(joined["participants"].empty());
  json server = joined["iceServers"][0];
  std::string username = server["username"];
  EXPECT_EQ(username,
            std::to_string(clock_.unix_seconds() + 86400) + ":" + std::string(joined["id"]));
  stun::MacContext mac;
  EXPECT_EQ(server["credential"],
            auth::Authenticator::rest_password(mac, "browser-secret", username));
  EXPECT_EQ(server["urls"].size(), 2u);

  join(2, "Bob");
  EXPECT_EQ(last(2)["participants"][0]["name"], "Alice");
  EXPECT_EQ(last(1)["type"], "participant-joined");
  EXPECT_EQ(last(1)["participant"]["name"], "Bob");
  ASSERT_EQ(visits_.size(), 2u);
  EXPECT_EQ(visits_[0].room_id, 7);
  EXPECT_EQ(visits_[1].name, "Bob");
  EXPECT_EQ(visits_[0].left_at, 0);
}

// A guest's publishing is bounded: m-lines, tracks, SSRCs that are someone
// else's, and the rate of publish requests.
TEST_F(ConferenceTest, AGuestsPublishingIsBounded) {
  join(1, "Alice");
  join(2, "Bob");
  auto publish = [&](ConnectionId c, const std::string& sdp) {
    send(c, {{"type", "publish"}, {"sdp", sdp}, {"tracks", json::array()}});
    return last(c);
  };
  EXPECT_EQ(publish(1, audio_offer(2, 1000))["type"], "publish-answer");
  json taken = publish(2, audio_offer(1, 1001));  // Alice's second SSRC
  EXPECT_EQ(taken["code"], "bad-message");
  EXPECT_NE(taken["message"].get<std::string>().find("SSRC 1001"), std::string::npos);
  EXPECT_EQ(publish(2, audio_offer(8, 2000))["type"], "publish-answer");  // 8 tracks: fine
  json nine = publish(2, audio_offer(9, 3000));
  EXPECT_EQ(nine["code"], "bad-message");
  EXPECT_NE(nine["message"].get<std::string>().find("at most 8 tracks"), std::string::npos);
  json lines = publish(2, audio_offer(17, 4000));
  EXPECT_NE(lines["message"].get<std::string>().find("at most 16 m-lines"), std::string::npos);
  // Alice: 10 publishes at once (the first above counts), then one per 2 s.
  for (int i = 0; i < 9; ++i) EXPECT_EQ(publish(1, audio_offer(2, 1000))["type"], "publish-answer");
  EXPECT_EQ(publish(1, audio_offer(2, 1000))["code"], "too-fast");
  clock_.advance(Seconds(2));
  EXPECT_EQ(publish(1, audio_offer(2, 1000))["type"], "publish-answer");
  EXPECT_EQ(conference_->participant_count(), 2u);
}

TEST_F(ConferenceTest, APublisherIsAnsweredAndTheOthersGetAnOffer) {
  join(1, "Alice");
  join(2, "Bob");
  send(1, {{"type", "publish"},
           {"sdp", fixture("chromium_offer_tracks.sdp")},
           {"tracks",
            {{{"mid", "0"}, {"kind", "audio"}, {"source", "mic"}},
             {{"mid", "1"}, {"kind", "video"}, {"source", "camera"}}}}});
  json answer = last(1);
  ASSERT_EQ(answer["type"], "publish-answer") << answer.dump();
  std::string a = answer["sdp"];
  EXPECT_NE(a.find("a=ice-lite"), std::string::npos);
  EXPECT_NE(a.find("a=setup:passive"), std::string::npos);
  EXPECT_NE(a.find(certificate_.fingerprint_sha256()), std::string::npos);
  EXPECT_NE(a.find("a=candidate:1 1 udp"), std::string::npos);
  EXPECT_NE(a.find("192.0.2.1 7882 typ host"), std::string::npos);
  // Publishers: transport-wide feedback (and REMB as a ceiling).
  EXPECT_NE(a.find("a=rtcp-fb:96 transport-cc"), std::string::npos);
  EXPECT_NE(a.find("transport-wide-cc-extensions-01"), std::string::npos);
  EXPECT_NE(a.find("goog-remb"), std::string::npos);
  EXPECT_NE(a.find("m=application 0"), std::string::npos);  // no data channels

  json offer = last(2);
  ASSERT_EQ(offer["type"], "offer") << offer.dump();
  EXPECT_EQ(offer["tracks"]["0"]["kind"], "audio");
  EXPECT_EQ(offer["tracks"]["1"]["source"], "camera");
  EXPECT_EQ(offer["tracks"]["1"]["participant"], last(2)["tracks"]["0"]["participant"]);
  std::string o = offer["sdp"];
  EXPECT_NE(o.find("a=ssrc:811200804 cname:pUp9f5kEs5tkRcjs"), std::string::npos);
  EXPECT_NE(o.find("a=ssrc-group:FID 3317470392 4007184243"), std::string::npos);
  EXPECT_NE(o.find("a=sendonly"), std::string::npos);
  EXPECT_EQ(o.find("sdes:mid"), std::string::npos);  // forwarded packets carry Alice's mids
  // Subscribers: Alice's transport-wide numbers mean nothing on Bob's transport.
  EXPECT_EQ(o.find("transport-cc"), std::string::npos);
  EXPECT_EQ(o.find("transport-wide-cc"), std::string::npos);
  EXPECT_TRUE(signal_.of(1, "offer").empty());  // nobody else publishes yet

  // Bob answers; a bad answer is refused with a reason.
  send(2, {{"type", "answer"}, {"sdp", "v=0\r\nnonsense"}});
  EXPECT_EQ(last(2)["code"], "bad-message");
  size_t errors = signal_.of(2, "error").size();
  send(2, {{"type", "answer"}, {"sdp", answer_to(o)}});
  EXPECT_EQ(signal_.of(2, "error").size(), errors) << last(2).dump();  // accepted
  send(2, {{"type", "answer"}, {"sdp", answer_to(o)}});                // no offer waits now
  EXPECT_EQ(last(2)["code"], "bad-message");
}

TEST_F(ConferenceTest, ChangesWaitForTheOutstandingAnswerAndLeaversAreRemoved) {
  join(1, "Alice");
  join(2, "Bob");
  std::string offer_sdp = fixture("chromium_offer_tracks.sdp");
  json tracks = {{{"mid", "0"}, {"kind", "audio"}, {"source", "mic"}},
                 {{"mid", "1"}, {"kind", "video"}, {"source", "camera"}}};
  send(1, {{"type", "publish"}, {"sdp", offer_sdp}, {"tracks", tracks}});
  ASSERT_EQ(signal_.of(2, "offer").size(), 1u);
  join(3, "Carol");  // Bob's second offer must wait for his first answer
  EXPECT_EQ(signal_.of(2, "offer").size(), 1u);
  EXPECT_EQ(signal_.of(3, "offer").size(), 1u);  // Carol gets Alice's tracks at once
  send(2, {{"type", "answer"}, {"sdp", answer_to(signal_.of(2, "offer")[0]["sdp"])}});
  // Nothing new for Bob to receive: Carol publishes nothing.
  EXPECT_EQ(signal_.of(2, "offer").size(), 1u);

  send(1, {{"type", "leave"}});
  ASSERT_EQ(signal_.of(2, "participant-left").size(), 1u);
  EXPECT_EQ(last(3)["type"], "participant-left");  // Carol's offer waits for her answer
  EXPECT_EQ(last(3)["reason"], "left");
  EXPECT_EQ(signal_.closed, std::vector<ConnectionId>{1});
  // Bob's next offer keeps Alice's lines: the video rejected, the audio (the
  // BUNDLE tag, which carries the transport) inactive.
  auto offers = signal_.of(2, "offer");
  ASSERT_EQ(offers.size(), 2u);
  std::string o = offers[1]["sdp"];
  EXPECT_EQ(o.find("m=audio 0 "), std::string::npos);
  EXPECT_NE(o.find("a=inactive"), std::string::npos);
  EXPECT_NE(o.find("m=video 0 "), std::string::npos);
  EXPECT_TRUE(offers[1]["tracks"].empty());
  ASSERT_EQ(visits_.size(), 4u);
  EXPECT_EQ(visits_[3].end_reason, "left");
  EXPECT_EQ(visits_[3].media_sent, (std::vector<std::string>{"audio", "video"}));
}

// Joins and leaves do not make the subscriber's SDP grow: a departed track's
// line is rejected, and once that is answered the next track of its kind
// takes its place, with a new mid. The BUNDLE tag (the first line) is never
// rejected: it goes inactive, so the browser keeps its transport.
TEST_F(ConferenceTest, RejectedLinesAreRecycledForNewTracksWithNewMids) {
  std::string offer_sdp = fixture("chromium_offer_tracks.sdp");
  json tracks = {{{"mid", "0"}, {"kind", "audio"}, {"source", "mic"}},
                 {{"mid", "1"}, {"kind", "video"}, {"source", "camera"}}};
  join(2, "Bob");
  auto bob_answers = [&] {
    json offer = signal_.of(2, "offer").back();
    send(2, {{"type", "answer"}, {"sdp", answer_to(offer["sdp"])}});
    EXPECT_NE(last(2)["type"], "error") << last(2).dump();
    return std::get<sdp::SessionDescription>(sdp::parse(offer["sdp"].get<std::string>()));
  };
  std::vector<std::string> sending_mids;
  for (ConnectionId publisher = 10; publisher < 16; ++publisher) {
    join(publisher, "Guest " + std::to_string(publisher));
    send(publisher, {{"type", "publish"}, {"sdp", offer_sdp}, {"tracks", tracks}});
    ASSERT_EQ(last(publisher)["type"], "publish-answer") << last(publisher).dump();
    EXPECT_EQ(signal_.of(2, "offer").back()["tracks"].size(), 2u);
    sdp::SessionDescription offer = bob_answers();
    // First offer: 2 lines. Then the inactive tag (audio "0"), the new video
    // in the recycled place of the last departed one, and the new audio: 3.
    ASSERT_EQ(offer.media.size(), publisher == 10 ? 2u : 3u) << offer.to_string();
    EXPECT_EQ(offer.bundle_group()->mids.front(), "0");
    size_t sending = 0;
    for (const auto& m : offer.media) {
      if (m.direction != sdp::Direction::kSendOnly || m.rejected()) continue;
      ++sending;
      EXPECT_EQ(std::count(sending_mids.begin(), sending_mids.end(), m.mid), 0)
          << "mid used twice: " << m.mid;
      sending_mids.push_back(m.mid);
    }
    EXPECT_EQ(sending, 2u);

    send(publisher, {{"type", "leave"}});
    offer = bob_answers();  // every track ended: the tag inactive, the rest rejected
    ASSERT_FALSE(offer.media[0].rejected());
    EXPECT_EQ(offer.media[0].direction, sdp::Direction::kInactive);
    for (size_t i = 1; i < offer.media.size(); ++i) EXPECT_TRUE(offer.media[i].rejected());
  }
}

TEST_F(ConferenceTest, ModeratorsKickAndLockOthersMayNot) {
  join(1, "Mod", kModeratorCode);
  EXPECT_EQ(last(1)["moderator"], true);
  join(2, "Bob");
  std::string bob = last(2)["id"];
  send(2, {{"type", "kick"}, {"participant", "p1"}});
  EXPECT_EQ(last(2)["code"], "forbidden");
  send(2, {{"type", "lock"}, {"locked", true}});
  EXPECT_EQ(last(2)["code"], "forbidden");

  send(1, {{"type", "lock"}, {"locked", true}});
  EXPECT_EQ(last(2)["type"], "room-locked");
  join(3, "Late");
  EXPECT_EQ(last(3)["code"], "room-locked");
  send(1, {{"type", "kick"}, {"participant", bob}});
  EXPECT_EQ(last(2)["type"], "kicked");
  EXPECT_EQ(last(1)["type"], "participant-left");
  EXPECT_EQ(last(1)["reason"], "kicked");
  EXPECT_EQ(signal_.closed, std::vector<ConnectionId>{2});
  EXPECT_EQ(conference_->participant_count(), 1u);
}

TEST_F(ConferenceTest, AFullRoomRefusesAndMessagesNeedAJoin) {
  open(9);
  send(9, {{"type", "publish"}, {"sdp", "v=0"}, {"tracks", json::array()}});
  EXPECT_EQ(last(9)["code"], "not-joined");
  conference_->on_message(9, "{oops");
  EXPECT_EQ(last(9)["code"], "bad-message");
  send(9, {{"type", "ping"}});
  EXPECT_EQ(last(9)["type"], "pong");
  join(1, "A");
  join(2, "B");
  join(3, "C");
  join(4, "D");
  EXPECT_EQ(last(4)["code"], "room-full");
  EXPECT_EQ(conference_->participant_count(), 3u);
}

TEST_F(ConferenceTest, ShutdownEndsEveryVisit) {
  join(1, "A");
  join(2, "B");
  conference_.reset();
  ASSERT_EQ(visits_.size(), 4u);
  EXPECT_EQ(visits_[2].end_reason, "shutdown");
  EXPECT_EQ(visits_[3].end_reason, "shutdown");
}

}  // namespace
}  // namespace turnd::sfu::conference::test

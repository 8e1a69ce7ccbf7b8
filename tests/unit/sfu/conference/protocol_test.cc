#include "sfu/conference/protocol.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace turnd::sfu::conference {
namespace {

using nlohmann::json;

ClientMessage ok(std::string_view text) {
  auto r = parse_client_message(text);
  if (auto* e = std::get_if<ProtocolError>(&r)) {
    ADD_FAILURE() << text << ": " << e->message;
    return PingRequest{};
  }
  return std::get<ClientMessage>(r);
}

std::string refused(std::string_view text) {
  auto r = parse_client_message(text);
  auto* e = std::get_if<ProtocolError>(&r);
  if (e == nullptr) {
    ADD_FAILURE() << text << " was accepted";
    return {};
  }
  EXPECT_EQ(e->code, error::kBadMessage);
  return e->message;
}

TEST(Protocol, ParsesJoin) {
  auto m = ok(R"({"type":"join","room":"team-1","code":"k7pm-2qxd-9hfa-wr3e","name":"  Zoë Ä "})");
  auto& j = std::get<JoinRequest>(m);
  EXPECT_EQ(j.room, "team-1");
  EXPECT_EQ(j.code, "k7pm-2qxd-9hfa-wr3e");
  EXPECT_EQ(j.name, "Zoë Ä");  // trimmed, UTF-8 kept
}

TEST(Protocol, JoinNamesAreChecked) {
  EXPECT_NE(refused(R"({"type":"join","room":"r","code":"c","name":"   "})").find("name"),
            std::string::npos);
  EXPECT_NE(refused(R"({"type":"join","room":"r","code":"c","name":"a\u0007b"})").find("control"),
            std::string::npos);
  std::string long_name(65, 'x');
  refused(R"({"type":"join","room":"r","code":"c","name":")" + long_name + R"("})");
  std::string umlauts;
  for (int i = 0; i < 64; ++i) umlauts += "ü";  // 64 characters, 128 bytes: fine
  ok(R"({"type":"join","room":"r","code":"c","name":")" + umlauts + R"("})");
  refused("{\"type\":\"join\",\"room\":\"r\",\"code\":\"c\",\"name\":\"\xff\xfe\"}");
  EXPECT_NE(refused(R"({"type":"join","room":"r","name":"n"})").find("'code'"), std::string::npos);
  refused(R"({"type":"join","room":"","code":"c","name":"n"})");
}

TEST(Protocol, ParsesPublishWithTracks) {
  auto m = ok(R"({"type":"publish","sdp":"v=0\r\n","tracks":[
      {"mid":"0","kind":"audio","source":"mic"},
      {"mid":"1","kind":"video","source":"camera"},
      {"mid":"2","kind":"video","source":"screen"}]})");
  auto& p = std::get<PublishRequest>(m);
  EXPECT_EQ(p.sdp, "v=0\r\n");
  ASSERT_EQ(p.tracks.size(), 3u);
  EXPECT_EQ(p.tracks[2], (TrackInfo{"2", MediaKind::kVideo, TrackSource::kScreen}));
}

TEST(Protocol, PublishTracksAreChecked) {
  refused(R"({"type":"publish","sdp":"x"})");
  refused(
      R"({"type":"publish","sdp":"x","tracks":[{"mid":"0","kind":"audio","source":"camera"}]})");
  refused(R"({"type":"publish","sdp":"x","tracks":[{"mid":"0","kind":"smell","source":"mic"}]})");
  refused(R"({"type":"publish","sdp":"x","tracks":[{"mid":"0","kind":"audio","source":"mic"},
                                                   {"mid":"0","kind":"audio","source":"mic"}]})");
  json many = {{"type", "publish"}, {"sdp", "x"}, {"tracks", json::array()}};
  for (int i = 0; i < 9; ++i) {
    many["tracks"].push_back({{"mid", std::to_string(i)}, {"kind", "audio"}, {"source", "mic"}});
  }
  EXPECT_NE(refused(many.dump()).find("at most 8"), std::string::npos);
  std::string huge = json{{"type", "answer"}, {"sdp", std::string(kMaxSdpBytes + 1, 'a')}}.dump();
  refused(huge);
}

TEST(Protocol, ParsesTheSmallMessages) {
  EXPECT_EQ(std::get<SubscriberAnswer>(ok(R"({"type":"answer","sdp":"v=0"})")).sdp, "v=0");
  auto mute = std::get<MuteRequest>(ok(R"({"type":"mute","kind":"video","muted":true})"));
  EXPECT_EQ(mute.kind, MediaKind::kVideo);
  EXPECT_TRUE(mute.muted);
  EXPECT_EQ(std::get<KickRequest>(ok(R"({"type":"kick","participant":"p7"})")).participant, "p7");
  EXPECT_FALSE(std::get<LockRequest>(ok(R"({"type":"lock","locked":false})")).locked);
  EXPECT_TRUE(std::holds_alternative<LeaveRequest>(ok(R"({"type":"leave"})")));
  EXPECT_TRUE(std::holds_alternative<PingRequest>(ok(R"({"type":"ping","extra":1})")));
  refused(R"({"type":"mute","kind":"video","muted":"yes"})");
  refused(R"({"type":"lock"})");
}

TEST(Protocol, GarbageIsRefusedNeverThrown) {
  EXPECT_EQ(refused("not json"), "not valid JSON");
  EXPECT_EQ(refused("[1,2]"), "a message must be a JSON object");
  EXPECT_EQ(refused("{}"), "'type' must be a string");
  EXPECT_EQ(refused(R"({"type":42})"), "'type' must be a string");
  EXPECT_NE(refused(R"({"type":"dance"})").find("unknown message type 'dance'"), std::string::npos);
  refused("");
  refused("{\"type\":\"join\",\"room\":");
  refused(std::string(200000, '{'));
}

TEST(Protocol, BuildsServerMessages) {
  JoinedInfo info;
  info.id = "p1";
  info.moderator = true;
  info.room_slug = "team";
  info.room_name = "Team \"A\"";
  info.participants = {{"p2", "Bob", true, false}};
  info.ice_servers = {
      {{"turn:example.org:3478?transport=udp", "turns:example.org:443?transport=tcp"},
       "1700000000:p1",
       "secret=="}};
  json j = json::parse(joined_message(info));
  EXPECT_EQ(j["type"], "joined");
  EXPECT_EQ(j["moderator"], true);
  EXPECT_EQ(j["room"]["name"], "Team \"A\"");
  EXPECT_EQ(j["participants"][0]["muted"]["audio"], true);
  EXPECT_EQ(j["iceServers"][0]["urls"][1], "turns:example.org:443?transport=tcp");
  EXPECT_EQ(j["iceServers"][0]["credential"], "secret==");

  json offer =
      json::parse(offer_message("v=0", {{"3", {"p2", MediaKind::kVideo, TrackSource::kScreen}}}));
  EXPECT_EQ(offer["tracks"]["3"]["source"], "screen");
  EXPECT_EQ(json::parse(error_message(error::kRoomFull, "full"))["code"], "room-full");
  EXPECT_EQ(json::parse(participant_left_message("p2", "kicked"))["reason"], "kicked");
  EXPECT_EQ(json::parse(muted_message("p2", MediaKind::kAudio, true))["kind"], "audio");
  EXPECT_EQ(json::parse(kicked_message())["type"], "kicked");
  // Invalid UTF-8 never throws: it is replaced.
  EXPECT_NO_THROW(error_message(error::kBadMessage, "\xff"));
}

}  // namespace
}  // namespace turnd::sfu::conference

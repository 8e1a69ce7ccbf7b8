// The SDP parser on Chromium's own offers (fixtures/), LF line endings,
// attributes it does not model, and malformed lines refused with their
// line number; parse(to_string(x)) == x.
#include "sfu/sdp/parser.h"

#include <gtest/gtest.h>

#include <string>

#include "sfu/sdp/fixture.h"

namespace turnd::sfu::sdp {
namespace {

using test::fixture;
using test::parsed;

std::vector<uint8_t> payload_types(const MediaDescription& m) {
  std::vector<uint8_t> pts;
  for (const Codec& c : m.codecs) pts.push_back(c.payload_type);
  return pts;
}

std::string without_cr(std::string s) {
  std::erase(s, '\r');
  return s;
}

TEST(SdpParser, ChromiumOfferSession) {
  const SessionDescription d = parsed(fixture("chromium_offer.sdp"));
  EXPECT_EQ(d.origin.username, "-");
  EXPECT_EQ(d.origin.session_id, 5065811414393352493ull);
  EXPECT_EQ(d.origin.session_version, 2u);
  EXPECT_EQ(d.origin.address, "127.0.0.1");
  EXPECT_EQ(d.session_name, "-");
  EXPECT_EQ(d.timing, "0 0");
  ASSERT_NE(d.bundle_group(), nullptr);
  EXPECT_EQ(d.bundle_group()->mids, (std::vector<std::string>{"0", "1"}));
  EXPECT_TRUE(d.extmap_allow_mixed);
  EXPECT_EQ(d.msid_semantic, " WMS");
  EXPECT_FALSE(d.ice_lite);
  ASSERT_EQ(d.media.size(), 2u);
  EXPECT_EQ(d.find_media("1"), &d.media[1]);
}

TEST(SdpParser, ChromiumOfferAudio) {
  const SessionDescription d = parsed(fixture("chromium_offer.sdp"));
  const MediaDescription& a = d.media.at(0);
  EXPECT_EQ(a.media, "audio");
  EXPECT_EQ(a.port, 9);
  EXPECT_EQ(a.protocol, "UDP/TLS/RTP/SAVPF");
  EXPECT_EQ(a.connection, "IN IP4 0.0.0.0");
  EXPECT_EQ(a.rtcp, "9 IN IP4 0.0.0.0");
  EXPECT_EQ(a.mid, "0");
  EXPECT_EQ(a.ice_ufrag, "Dx4r");
  EXPECT_EQ(a.ice_pwd, "G6Mbsj0CRhLCeMahSFjzDu+i");
  EXPECT_EQ(a.ice_options, (std::vector<std::string>{"trickle"}));
  ASSERT_TRUE(a.fingerprint);
  EXPECT_EQ(a.fingerprint->algorithm, "sha-256");
  EXPECT_EQ(a.fingerprint->value,
            "24:03:4F:08:D6:BC:A4:C6:59:B0:5A:CE:5A:75:60:91:00:79:F7:5B:55:B7:F7:B5:E2:B3:49:7E:"
            "0F:DB:12:BD");
  EXPECT_EQ(a.setup, Setup::kActpass);
  EXPECT_EQ(a.direction, Direction::kSendRecv);
  EXPECT_TRUE(a.rtcp_mux);
  EXPECT_TRUE(a.rtcp_rsize);
  EXPECT_EQ(payload_types(a), (std::vector<uint8_t>{111, 63, 9, 0, 8, 13, 110, 126}));
  const Codec& opus = a.codecs[0];
  EXPECT_EQ(opus.name, "opus");
  EXPECT_EQ(opus.clock_rate, 48000u);
  EXPECT_EQ(opus.channels, 2);
  EXPECT_EQ(opus.fmtp, "minptime=10;useinbandfec=1");
  EXPECT_EQ(opus.parameter("useinbandfec"), "1");
  EXPECT_FALSE(opus.parameter("stereo"));
  EXPECT_EQ(opus.feedback, (std::vector<RtcpFeedback>{{"transport-cc", ""}}));
  EXPECT_EQ(a.find_codec(0)->name, "PCMU");
  EXPECT_EQ(a.find_codec(0)->channels, 0);
  EXPECT_EQ(a.find_codec(63)->fmtp, "111/111");
  ASSERT_EQ(a.extmaps.size(), 4u);
  EXPECT_EQ(a.extmaps[0],
            (Extmap{1, std::nullopt, "urn:ietf:params:rtp-hdrext:ssrc-audio-level", ""}));
  EXPECT_EQ(a.extmap_id("urn:ietf:params:rtp-hdrext:sdes:mid"), 4);
  ASSERT_EQ(a.msids.size(), 1u);
  EXPECT_EQ(a.msids[0], (Msid{"-", "d23d8b85-503a-423b-8c9e-e2d6dff53fb9"}));
  ASSERT_EQ(a.ssrcs.size(), 1u);
  EXPECT_EQ(a.ssrcs[0].ssrc, 49684041u);
  EXPECT_EQ(a.ssrcs[0].cname, "APCQmDNiSEcPJNeW");
  EXPECT_EQ(a.ssrcs[0].msid, a.msids[0]);
  // a=rtcp-xr has no field: kept as it was.
  EXPECT_EQ(a.other, (std::vector<Attribute>{{"rtcp-xr", "rcvr-rtt=all"}}));
}

TEST(SdpParser, ChromiumOfferVideo) {
  const SessionDescription d = parsed(fixture("chromium_offer.sdp"));
  const MediaDescription& v = d.media.at(1);
  EXPECT_EQ(v.media, "video");
  EXPECT_EQ(v.mid, "1");
  EXPECT_EQ(v.codecs.size(), 23u);
  const Codec* vp8 = v.find_codec(96);
  ASSERT_NE(vp8, nullptr);
  EXPECT_EQ(vp8->name, "VP8");
  EXPECT_EQ(vp8->clock_rate, 90000u);
  EXPECT_EQ(
      vp8->feedback,
      (std::vector<RtcpFeedback>{
          {"goog-remb", ""}, {"transport-cc", ""}, {"ccm", "fir"}, {"nack", ""}, {"nack", "pli"}}));
  EXPECT_EQ(v.find_codec(97)->name, "rtx");
  EXPECT_EQ(v.find_codec(97)->parameter("apt"), "96");
  EXPECT_EQ(v.find_codec(108)->parameter("profile-level-id"), "42e01f");
  EXPECT_EQ(v.find_codec(108)->parameter("packetization-mode"), "1");
  EXPECT_EQ(v.find_codec(45)->name, "AV1");
  EXPECT_EQ(v.extmaps.size(), 11u);
  EXPECT_EQ(v.extmap_id("http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"), 2);
  ASSERT_EQ(v.ssrc_groups.size(), 1u);
  EXPECT_EQ(v.ssrc_groups[0], (SsrcGroup{"FID", {1436189150, 3392977446}}));
  ASSERT_EQ(v.ssrcs.size(), 2u);
  EXPECT_EQ(v.find_ssrc(3392977446)->cname, "APCQmDNiSEcPJNeW");
  EXPECT_EQ(v.find_ssrc(3392977446)->msid->track, "d9349387-3c03-4372-820b-1f903a623310");
}

TEST(SdpParser, CandidatesAndDataChannel) {
  const SessionDescription d = parsed(fixture("chromium_offer_tracks.sdp"));
  ASSERT_EQ(d.media.size(), 3u);
  EXPECT_EQ(d.msid_semantic, " WMS 897ebb8d-b638-4b91-8b0f-afd63dde1c4b");
  const MediaDescription& a = d.media[0];
  EXPECT_EQ(a.port, 39397);
  EXPECT_EQ(a.connection, "IN IP4 192.0.2.2");
  ASSERT_EQ(a.candidates.size(), 4u);
  const Candidate& udp = a.candidates[0];
  EXPECT_EQ(udp.foundation, "4128008760");
  EXPECT_EQ(udp.component, 1);
  EXPECT_EQ(udp.transport, "udp");
  EXPECT_EQ(udp.priority, 2122194687u);
  EXPECT_EQ(udp.address, "192.0.2.2");
  EXPECT_EQ(udp.port, 39397);
  EXPECT_EQ(udp.type, "host");
  EXPECT_TRUE(udp.tcptype.empty());
  EXPECT_EQ(udp.extensions, (std::vector<std::pair<std::string, std::string>>{
                                {"generation", "0"}, {"network-id", "1"}}));
  EXPECT_EQ(a.candidates[1].address, "fd00::2");
  EXPECT_EQ(a.candidates[2].transport, "tcp");
  EXPECT_EQ(a.candidates[2].tcptype, "active");
  EXPECT_EQ(a.candidates[2].port, 9);
  EXPECT_FALSE(a.end_of_candidates);
  EXPECT_EQ(a.msids[0].stream, "897ebb8d-b638-4b91-8b0f-afd63dde1c4b");

  const MediaDescription& app = d.media[2];
  EXPECT_EQ(app.media, "application");
  EXPECT_EQ(app.protocol, "UDP/DTLS/SCTP");
  EXPECT_EQ(app.formats, (std::vector<std::string>{"webrtc-datachannel"}));
  EXPECT_TRUE(app.codecs.empty());
  EXPECT_EQ(app.mid, "2");
  EXPECT_EQ(app.sctp_port, 5000);
  EXPECT_EQ(app.max_message_size, 262144u);
}

TEST(SdpParser, LfLineEndingsParseTheSame) {
  for (const char* name :
       {"chromium_offer.sdp", "chromium_offer_tracks.sdp", "chromium_subscriber_answer.sdp"}) {
    const std::string crlf = fixture(name);
    ASSERT_NE(crlf.find("\r\n"), std::string::npos);
    EXPECT_EQ(parsed(without_cr(crlf)), parsed(crlf)) << name;
  }
}

TEST(SdpParser, RoundTripsEveryFixture) {
  for (const char* name :
       {"chromium_offer.sdp", "chromium_offer_tracks.sdp", "chromium_publisher_offer.sdp",
        "sfu_publisher_answer.sdp", "sfu_subscriber_offer.sdp", "chromium_subscriber_answer.sdp",
        "firefox_publisher_offer.sdp", "firefox_subscriber_answer.sdp",
        "sfu_firefox_publisher_answer.sdp"}) {
    const SessionDescription d = parsed(fixture(name));
    EXPECT_EQ(parsed(d.to_string()), d) << name;
  }
}

TEST(SdpParser, OwnOutputIsReproducedByteForByte) {
  for (const char* name : {"sfu_publisher_answer.sdp", "sfu_subscriber_offer.sdp",
                           "sfu_firefox_publisher_answer.sdp"}) {
    const std::string text = fixture(name);
    EXPECT_EQ(parsed(text).to_string(), text) << name;
  }
}

TEST(SdpParser, KeepsUnknownAttributesAndTolerantLines) {
  const std::string text =
      "v=0\n"
      "o=- 1 1 IN IP4 127.0.0.1\n"
      "s=-\n"
      "i=session info\n"
      "b=AS:1000\n"
      "t=0 0\n"
      "a=x-custom:value with spaces\n"
      "a=flag\n"
      "m=audio 9 UDP/TLS/RTP/SAVPF 0 111\n"
      "c=IN IP4 0.0.0.0\n"
      "b=TIAS:64000\n"
      "a=mid:a\n"
      "a=rtpmap:111 opus/48000/2\n"
      "a=rtcp-fb:* nack\n"
      "a=extmap:3/sendonly urn:x attr1 attr2\n"
      "a=ssrc:5 label:foo\n"
      "a=ice-lite\n"
      "a=unknown-thing\n"
      "\n";
  const SessionDescription d = parsed(text);
  EXPECT_EQ(d.other,
            (std::vector<Attribute>{{"x-custom", "value with spaces"}, {"flag", std::nullopt}}));
  const MediaDescription& m = d.media.at(0);
  EXPECT_EQ(m.find_codec(0)->name, "PCMU");  // static payload type, no rtpmap
  EXPECT_EQ(m.feedback_all, (std::vector<RtcpFeedback>{{"nack", ""}}));
  EXPECT_EQ(m.extmaps.at(0), (Extmap{3, Direction::kSendOnly, "urn:x", "attr1 attr2"}));
  EXPECT_EQ(m.ssrcs.at(0).other, (std::vector<Attribute>{{"label", "foo"}}));
  EXPECT_EQ(m.other,
            (std::vector<Attribute>{{"ice-lite", std::nullopt}, {"unknown-thing", std::nullopt}}));
  EXPECT_EQ(parsed(d.to_string()), d);
}

TEST(SdpParser, PayloadTypesAreNormalised) {
  // Found by the fuzzer: "045" must not survive as text the writer would not reproduce.
  const SessionDescription d =
      parsed("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 RTP/AVP 045 96\r\n");
  EXPECT_EQ(d.media.at(0).formats, (std::vector<std::string>{"45", "96"}));
  EXPECT_EQ(parsed(d.to_string()), d);
}

TEST(SdpParser, SessionLevelTransportAttributes) {
  // Firefox writes fingerprint (and sometimes ICE) at session level.
  const SessionDescription d = parsed(
      "v=0\r\no=mozilla...THIS_IS_SDPARTA-99.0 1 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
      "a=fingerprint:sha-256 AA:BB\r\na=ice-ufrag:u\r\na=ice-pwd:p\r\na=setup:actpass\r\n"
      "a=group:BUNDLE 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 109\r\na=mid:0\r\na=ice-ufrag:own\r\n"
      "a=rtpmap:109 opus/48000/2\r\n");
  const MediaDescription& m = d.media.at(0);
  EXPECT_EQ(d.ice_ufrag_of(m), "own");
  EXPECT_EQ(d.ice_pwd_of(m), "p");
  EXPECT_EQ(d.fingerprint_of(m)->value, "AA:BB");
  EXPECT_EQ(d.setup_of(m), Setup::kActpass);
  EXPECT_EQ(d.origin.username, "mozilla...THIS_IS_SDPARTA-99.0");
}

struct Malformed {
  std::string body;  // appended to a valid header (4 lines) unless it starts with "v="
  size_t line;
  std::string reason;
};

std::string with_header(const std::string& body) {
  if (body.starts_with("v=") || body.empty()) return body;
  return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" + body;
}

TEST(SdpParser, MalformedLinesNameLineAndReason) {
  const std::string m = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";  // line 5
  const std::vector<Malformed> cases{
      {"", 1, "empty description"},
      {"v=1\r\n", 1, "the first line must be v=0"},
      {"v=0\r\nv=0\r\n", 2, "duplicate v= line"},
      {"v=0\r\no=- x 1 IN IP4 127.0.0.1\r\n", 2, "bad o= session id \"x\""},
      {"v=0\r\no=- 1 1 IP4 127.0.0.1\r\n", 2, "o= needs"},
      {"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n", 4, "missing t= line"},
      {"v=0\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n", 3, "m= before the o=, s= and t= lines"},
      {"a=ok\r\nnonsense\r\n", 6, "not a <type>=<value> line"},
      {"a=ok\r\n\r\na=ok\r\n", 6, "empty line"},
      {"x=1\r\n", 5, "unknown line type x="},
      {"Z=1\r\n", 5, "not a <type>=<value> line"},
      {"c=IN IP4\r\n", 5, "c= needs"},
      {"m=audio 70000 UDP/TLS/RTP/SAVPF 111\r\n", 5, "bad m= port \"70000\""},
      {"m=audio 9 UDP/TLS/RTP/SAVPF\r\n", 5, "m= needs"},
      {"m=audio 9/2 RTP/AVP 0\r\n", 5, "port counts"},
      {"m=audio 9 UDP/TLS/RTP/SAVPF opus\r\n", 5, "bad m= payload type \"opus\""},
      {"m=audio 9 UDP/TLS/RTP/SAVPF 200\r\n", 5, "above 127"},
      {"m=audio 9 UDP/TLS/RTP/SAVPF 0 0\r\n", 5, "twice"},
      {m + "a=rtpmap:112 opus/48000/2\r\n", 6, "a=rtpmap for payload type 112, not on the m= line"},
      {m + "a=rtpmap:111 opus\r\n", 6, "a=rtpmap needs"},
      {m + "a=rtpmap:111 opus/fast/2\r\n", 6, "bad a=rtpmap clock rate"},
      {m + "a=fmtp:111\r\n", 6, "a=fmtp needs"},
      {m + "a=fmtp:111 a=1\r\na=fmtp:111 b=2\r\n", 7, "duplicate a=fmtp"},
      {m + "a=rtcp-fb:111\r\n", 6, "a=rtcp-fb needs"},
      {m + "a=extmap:0 urn:x\r\n", 6, "outside 1..255"},
      {m + "a=extmap:256 urn:x\r\n", 6, "outside 1..255"},
      {m + "a=extmap:1/sideways urn:x\r\n", 6, "bad a=extmap direction"},
      {m + "a=extmap:1 urn:x\r\na=extmap:1 urn:y\r\n", 7, "used twice"},
      {m + "a=mid:0\r\na=mid:1\r\n", 7, "duplicate a=mid"},
      {m + "a=mid:0\r\n" + m + "a=mid:0\r\n", 8, "duplicate mid \"0\""},
      {m + "a=mid:\r\n", 6, "a=mid needs a value"},
      {m + "a=fingerprint:sha-256 GG:00\r\n", 6, "a=fingerprint needs"},
      {m + "a=fingerprint:sha-256\r\n", 6, "a=fingerprint needs"},
      {m + "a=fingerprint:sha-256 AB::CD\r\n", 6, "a=fingerprint needs"},
      {m + "a=setup:sometimes\r\n", 6, "a=setup must be"},
      {m + "a=ice-ufrag:a\r\na=ice-ufrag:b\r\n", 7, "duplicate a=ice-ufrag"},
      {m + "a=candidate:1 1 udp 100 192.0.2.1 5000 host\r\n", 6, "candidate needs"},
      {m + "a=candidate:1 1 udp 100 192.0.2.1 99999 typ host\r\n", 6, "bad candidate port"},
      {m + "a=candidate:1 1 udp 100 192.0.2.1 5000 typ host generation\r\n", 6, "without a value"},
      {m + "a=ssrc:abc cname:x\r\n", 6, "bad a=ssrc SSRC \"abc\""},
      {m + "a=ssrc:1\r\n", 6, "a=ssrc needs"},
      {m + "a=ssrc:1 cname:\r\n", 6, "cname without a value"},
      {m + "a=ssrc-group:FID 1 x\r\n", 6, "bad a=ssrc-group SSRC"},
      {m + "a=msid:a b c\r\n", 6, "a=msid needs"},
      {m + "a=sctp-port:x\r\n", 6, "bad a=sctp-port"},
      {"a=rtpmap:111 opus/48000/2\r\n", 5, "a=rtpmap outside a media section"},
      {"a=mid:0\r\n", 5, "a=mid outside a media section"},
      {"a=group:BUNDLE 0 1\r\n" + m + "a=mid:0\r\n", 5, "names mid \"1\", which no m= section has"},
      {"a=group:   \r\n", 5, "a=group needs: semantics"},  // once crashed the daemon
      {":x\r\n", 5, "not a <type>=<value> line"},
      {"a=\r\n", 5, "a= without a name"},
  };
  for (const Malformed& c : cases) {
    auto result = parse(with_header(c.body));
    const auto* error = std::get_if<SdpError>(&result);
    ASSERT_NE(error, nullptr) << c.body;
    EXPECT_EQ(error->line, c.line) << c.body << " -> " << error->message();
    EXPECT_NE(error->reason.find(c.reason), std::string::npos)
        << c.body << " -> " << error->message();
    EXPECT_EQ(error->message().rfind("line " + std::to_string(c.line) + ": ", 0), 0u);
  }
}

// Every attribute the parser knows, at session and media level, with values
// made only of separators: each is a clean error or a parse, never a crash
// (a=group:<spaces> once indexed an empty token list).
TEST(SdpParser, SeparatorOnlyValuesNeverCrash) {
  const std::vector<std::string> names{"group",
                                       "ice-lite",
                                       "extmap-allow-mixed",
                                       "msid-semantic",
                                       "ice-ufrag",
                                       "ice-pwd",
                                       "ice-options",
                                       "fingerprint",
                                       "setup",
                                       "mid",
                                       "rtpmap",
                                       "fmtp",
                                       "rtcp-fb",
                                       "ssrc",
                                       "ssrc-group",
                                       "msid",
                                       "rtcp",
                                       "candidate",
                                       "sctp-port",
                                       "extmap",
                                       "max-message-size",
                                       "rtcp-mux",
                                       "sendrecv",
                                       "rid",
                                       "simulcast",
                                       "end-of-candidates"};
  const std::vector<std::string> values{"", " ", "   ", "\t", " / ", ":", " : ", "/", "1 ", " 1"};
  const std::string m = "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n";
  for (const std::string& name : names) {
    for (const std::string& value : values) {
      for (const std::string& prefix : {std::string(), m}) {
        const std::string body = prefix + "a=" + name + ":" + value + "\r\n";
        auto result = parse(with_header(body));
        if (const auto* error = std::get_if<SdpError>(&result)) {
          EXPECT_FALSE(error->reason.empty()) << body;
        }
      }
    }
  }
}

TEST(SdpParser, FirstLineMustBeVersion) {
  auto result = parse("o=- 1 1 IN IP4 127.0.0.1\r\nv=0\r\n");
  ASSERT_TRUE(std::holds_alternative<SdpError>(result));
  EXPECT_EQ(std::get<SdpError>(result).message(), "line 1: the first line must be v=0");
}

TEST(SdpParser, TooManyLines) {
  std::string text = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  for (size_t i = 0; i < kMaxSdpLines; ++i) text += "a=x\r\n";
  auto result = parse(text);
  ASSERT_TRUE(std::holds_alternative<SdpError>(result));
  EXPECT_EQ(std::get<SdpError>(result).line, kMaxSdpLines + 1);
}

TEST(SdpModel, DirectionsAndSetup) {
  EXPECT_EQ(reverse(Direction::kSendOnly), Direction::kRecvOnly);
  EXPECT_EQ(reverse(Direction::kRecvOnly), Direction::kSendOnly);
  EXPECT_EQ(reverse(Direction::kSendRecv), Direction::kSendRecv);
  EXPECT_EQ(reverse(Direction::kInactive), Direction::kInactive);
  EXPECT_EQ(direction_from("recvonly"), Direction::kRecvOnly);
  EXPECT_FALSE(direction_from("both"));
  EXPECT_EQ(setup_from("passive"), Setup::kPassive);
  EXPECT_EQ(to_string(Setup::kActive), "active");
  EXPECT_FALSE(setup_from("PASSIVE"));
}

}  // namespace
}  // namespace turnd::sfu::sdp

// Test helpers: the SDP fixtures (read from fixtures/ next to this file) and
// the SFU transport the generated fixtures were made with.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "sfu/sdp/answer.h"
#include "sfu/sdp/parser.h"
#include "sfu/sdp/subscriber_offer.h"

namespace turnd::sfu::sdp::test {

inline std::string fixture(const std::string& name) {
  const auto path = std::filesystem::path(__FILE__).parent_path() / "fixtures" / name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read fixture " << path;
    return {};
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Parses or fails the test with the parser's message.
inline SessionDescription parsed(const std::string& text) {
  auto result = parse(text);
  if (auto* error = std::get_if<SdpError>(&result)) {
    ADD_FAILURE() << error->message();
    return {};
  }
  return std::get<SessionDescription>(std::move(result));
}

template <typename T>
T value_of(std::variant<T, SdpError> result) {
  if (auto* error = std::get_if<SdpError>(&result)) {
    ADD_FAILURE() << error->message();
    return {};
  }
  return std::get<T>(std::move(result));
}

inline constexpr const char* kSfuFingerprint =
    "5A:71:C1:BC:5B:A6:A0:A5:F5:0A:BF:27:10:E3:2F:AE:FC:7B:7F:A9:DB:EE:2C:23:66:25:7F:7C:8F:46:6C:"
    "26";

inline LocalTransport test_transport() {
  LocalTransport t;
  t.ice_ufrag = "sfuUfrag";
  t.ice_pwd = "sfuPasswordSfuPassword24";
  t.fingerprint_sha256 = kSfuFingerprint;
  t.candidates = {host_udp_candidate("1", "192.0.2.10", 40000),
                  host_tcp_passive_candidate("2", "192.0.2.10", 443)};
  t.session_id = 4611731400430051336ull;
  t.session_version = 2;
  return t;
}

// One outgoing track per accepted m= section of a publisher answer (same
// codecs and extensions), then an ended video track: what
// sfu_subscriber_offer.sdp was generated from.
inline std::vector<OutgoingTrack> test_subscriber_tracks(const SessionDescription& answer) {
  std::vector<OutgoingTrack> tracks;
  uint32_t ssrc = 1000;
  for (const MediaDescription& m : answer.media) {
    if (m.rejected()) continue;
    OutgoingTrack t;
    t.mid = m.mid;
    t.kind = m.media;
    t.codecs = m.codecs;
    t.extmaps = m.extmaps;
    t.ssrc = ssrc++;
    if (m.media == "video") t.rtx_ssrc = ssrc++;
    t.cname = "participant-1";
    t.stream_id = "stream-1";
    t.track_id = "track-" + m.mid;
    tracks.push_back(t);
  }
  OutgoingTrack ended;
  ended.mid = "9";
  ended.kind = "video";
  ended.state = LineState::kRejected;
  if (!tracks.empty()) ended.codecs = tracks.back().codecs;
  tracks.push_back(ended);
  return tracks;
}

}  // namespace turnd::sfu::sdp::test

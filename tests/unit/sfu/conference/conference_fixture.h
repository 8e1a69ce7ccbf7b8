// The Conference test fixture (conference_test.cc, conference_reconnect_test.cc):
// a real code check (scrypt), the SDP library and transports on a real media
// endpoint, and a fake signalling server that records what each connection
// is sent.
#pragma once

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "db/code_hash.h"
#include "sfu/conference/conference.h"
#include "sfu/conference/scrypt_code_verifier.h"
#include "sfu/dtls/dtls_certificate.h"
#include "sfu/sdp/parser.h"
#include "turnd/auth/authenticator.h"

namespace turnd::sfu::conference::test {

using nlohmann::json;

inline constexpr const char* kCode = "k7pm-2qxd-9hfa-wr3e";
inline constexpr const char* kModeratorCode = "m0de-rat0-rc0d-e123";

inline std::string fixture(const char* name) {
  std::ifstream in(std::string(TURND_TEST_SOURCE_DIR) + "/tests/unit/sfu/sdp/fixtures/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct FakeSignal final : SignalOut {
  void send(ConnectionId c, std::string text) override { sent[c].push_back(json::parse(text)); }
  void close(ConnectionId c) override { closed.push_back(c); }
  // The messages of `type` sent to `c` so far.
  std::vector<json> of(ConnectionId c, const std::string& type) {
    std::vector<json> out;
    for (const json& m : sent[c]) {
      if (m["type"] == type) out.push_back(m);
    }
    return out;
  }
  std::map<ConnectionId, std::vector<json>> sent;
  std::vector<ConnectionId> closed;
};

// Code checks finish on the verifier's thread and are posted here.
struct Mailbox {
  void post(std::function<void()> task) {
    std::lock_guard lock(mutex);
    tasks.push_back(std::move(task));
    wake.notify_one();
  }
  // Runs what arrived, waiting up to 10 s for `expected` tasks.
  // Runs whatever arrives until nothing has for `quiet`.
  size_t run_ready(std::chrono::milliseconds quiet) {
    size_t done = 0;
    while (true) {
      std::function<void()> task;
      {
        std::unique_lock lock(mutex);
        if (!wake.wait_for(lock, quiet, [&] { return !tasks.empty(); })) return done;
        task = std::move(tasks.front());
        tasks.pop_front();
      }
      task();
      ++done;
    }
  }
  void run(size_t expected = 1) {
    for (size_t done = 0; done < expected; ++done) {
      std::function<void()> task;
      {
        std::unique_lock lock(mutex);
        ASSERT_TRUE(wake.wait_for(lock, std::chrono::seconds(10), [&] { return !tasks.empty(); }));
        task = std::move(tasks.front());
        tasks.pop_front();
      }
      task();
    }
  }
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::function<void()>> tasks;
};

class ConferenceTest : public ::testing::Test {
 protected:
  ConferenceTest()
      : certificate_(dtls::DtlsCertificate::generate()),
        dtls_(certificate_),
        codes_([this](std::function<void()> task) { mailbox_.post(std::move(task)); }) {
    team_.id = 7;
    team_.slug = "team";
    team_.display_name = "The Team";
    team_.participant_code_hash = db::hash_code(kCode);
    team_.moderator_code_hash = db::hash_code(kModeratorCode);
    team_.max_participants = 3;
    rooms_.replace({team_});
    options_.udp_candidates = {*SocketAddress::parse("192.0.2.1:7882")};
    options_.turn_urls = {"turn:192.0.2.1:3478?transport=udp", "turn:192.0.2.1:3478?transport=tcp"};
    options_.turn_secret = "browser-secret";
    restart();
  }

  // A new conference with options_ (tests change them first).
  void restart() {
    conference_.reset();
    conference_ = std::make_unique<Conference>(
        ConferenceDeps{clock_, rooms_, signal_, codes_, endpoint_,
                       transport::TransportDeps{clock_, dtls_, srtp_, mac_, endpoint_},
                       [this](const ParticipationEvent& e) { visits_.push_back(e); }},
        options_);
  }

  void open_from(ConnectionId c, const std::string& address) {
    conference_->on_open(c, *SocketAddress::parse(address));
  }
  void open(ConnectionId c) {
    conference_->on_open(c, *SocketAddress::parse("198.51.100." + std::to_string(c) + ":5000"));
  }
  void send(ConnectionId c, const json& m) { conference_->on_message(c, m.dump()); }
  void join(ConnectionId c, const std::string& name, const std::string& code = kCode) {
    open(c);
    send(c, {{"type", "join"}, {"room", "team"}, {"code", code}, {"name", name}});
    mailbox_.run();
  }
  json last(ConnectionId c) { return signal_.sent[c].back(); }

  // A browser's answer to the subscriber offer `offer_sdp`.
  static std::string answer_to(const std::string& offer_sdp) {
    auto parsed = sdp::parse(offer_sdp);
    auto d = std::get<sdp::SessionDescription>(parsed);
    d.ice_lite = false;
    for (auto& m : d.media) {
      m.ice_ufrag = "brws";
      m.ice_pwd = "browserpasswordbrowserpw";
      m.fingerprint =
          sdp::Fingerprint{"sha-256", dtls::DtlsCertificate::generate().fingerprint_sha256()};
      m.setup = sdp::Setup::kActive;
      m.candidates.clear();
      m.end_of_candidates = false;
      if (!m.rejected()) m.direction = sdp::Direction::kRecvOnly;
      m.ssrcs.clear();
      m.ssrc_groups.clear();
      m.msids.clear();
    }
    return d.to_string();
  }

  ManualClock clock_;
  db::Room team_;
  ConferenceOptions options_;
  RoomDirectory rooms_;
  FakeSignal signal_;
  Mailbox mailbox_;
  stun::MacContext mac_;
  srtp::SrtpLibrary srtp_;
  dtls::DtlsCertificate certificate_;
  dtls::DtlsContext dtls_;
  router::MediaEndpoint endpoint_;
  ScryptCodeVerifier codes_;
  std::vector<ParticipationEvent> visits_;
  std::unique_ptr<Conference> conference_;
};

inline json join_request(const std::string& room, const std::string& code) {
  return {{"type", "join"}, {"room", room}, {"code", code}, {"name", "M"}};
}

// An offer with `lines` audio m-lines, each sending SSRC first_ssrc + i.
inline std::string audio_offer(int lines, uint32_t first_ssrc) {
  std::string sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE";
  for (int i = 0; i < lines; ++i) sdp += " " + std::to_string(i);
  sdp +=
      "\r\na=ice-ufrag:brws\r\na=ice-pwd:browserpasswordbrowserpw\r\n"
      "a=fingerprint:sha-256 "
      "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:"
      "45:67:89\r\na=setup:actpass\r\n";
  for (int i = 0; i < lines; ++i) {
    sdp += "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:" + std::to_string(i) +
           "\r\na=sendonly\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=ssrc:" +
           std::to_string(first_ssrc + i) + " cname:x\r\n";
  }
  return sdp;
}

// The ufrag of an SDP (its first a=ice-ufrag).
inline std::string ufrag_of(const std::string& sdp) {
  size_t at = sdp.find("a=ice-ufrag:");
  if (at == std::string::npos) return {};
  at += 12;
  return sdp.substr(at, sdp.find('\r', at) - at);
}

}  // namespace turnd::sfu::conference::test

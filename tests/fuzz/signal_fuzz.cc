// Fuzz target: the signalling messages. Each input line is one WebSocket
// message, optionally prefixed with "1|".."3|" to pick the connection it comes
// from (default 1); a line "T" lets a second pass (the conference's timer).
// Every message goes through parse_client_message and then into a real
// Conference (real SDP, negotiation and transports; an instant code check
// where "k7pm-2qxd-9hfa-wr3e" is the participant code and "m0de-rat0-rc0d-e123"
// the moderator's), so whole sequences — join, publish, answer, mute, kick,
// lock, leave — are explored, not only single messages. Whatever the
// conference sends must be valid JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sfu/conference/conference.h"
#include "sfu/dtls/dtls_certificate.h"
#include "sfu/dtls/dtls_context.h"
#include "sfu/signal/http_routes.h"
#include "sfu/srtp/srtp_library.h"
#include "turnd/stun/integrity.h"

using namespace turnd;
using namespace turnd::sfu;
using namespace turnd::sfu::conference;

namespace {

constexpr std::string_view kParticipantCode = "k7pm-2qxd-9hfa-wr3e";
constexpr std::string_view kModeratorCode = "m0de-rat0-rc0d-e123";

struct Checks final : SignalOut {
  void send(ConnectionId, std::string text) override {
    if (!nlohmann::json::accept(text)) std::abort();  // the server's own messages are JSON
  }
  void close(ConnectionId) override {}
};

// Results come back through a queue, as from the real verifier's thread.
struct InstantVerifier final : CodeVerifier {
  bool verify(CodeCheck check, Priority, Done done) override {
    CodeMatch m = CodeMatch::kNone;
    if (!check.moderator_hash.empty() && check.code == kModeratorCode) m = CodeMatch::kModerator;
    if (!check.participant_hash.empty() && check.code == kParticipantCode) {
      m = CodeMatch::kParticipant;
    }
    results.push_back([done = std::move(done), m] { done(m); });
    return results.size() < 8;  // a small queue: `busy` is explored too
  }
  void run() {
    while (!results.empty()) {
      auto r = std::move(results.front());
      results.pop_front();
      r();
    }
  }
  std::deque<std::function<void()>> results;
};

struct World {
  World() : certificate(dtls::DtlsCertificate::generate()), dtls(certificate) {
    db::Room room;
    room.id = 1;
    room.slug = "team";
    room.participant_code_hash = "p";  // any non-empty hash: InstantVerifier compares codes
    room.moderator_code_hash = "m";
    room.max_participants = 3;
    rooms.replace({room});
  }
  ManualClock clock;
  RoomDirectory rooms;
  stun::MacContext mac;
  srtp::SrtpLibrary srtp;
  dtls::DtlsCertificate certificate;
  dtls::DtlsContext dtls;
  router::MediaEndpoint endpoint;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World world;  // certificates and libraries once per process
  if (size > 256 * 1024) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);

  Checks signal;
  InstantVerifier codes;
  ConferenceOptions options;
  options.udp_candidates = {*SocketAddress::parse("192.0.2.1:7882")};
  options.turn_urls = {"turn:192.0.2.1:3478?transport=udp"};
  options.turn_secret = "secret";
  options.join_limits.host.free = 1000;  // no delays: reach the rooms, not the throttle
  // A first line "H|..." is connection 3's Host header (its turns: URL host).
  std::string host;
  if (input.starts_with("H|")) {
    size_t end = input.find('\n');
    host = signal::page_host(input.substr(2, end == std::string_view::npos ? end : end - 2));
    if (host.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string::npos) {
      __builtin_trap();  // a name that could break out of the URL
    }
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
  }
  options.turns_port = 443;
  options.turns_address = "192.0.2.1";
  auto conference = std::make_unique<Conference>(
      ConferenceDeps{
          world.clock, world.rooms, signal, codes, world.endpoint,
          transport::TransportDeps{world.clock, world.dtls, world.srtp, world.mac, world.endpoint},
          nullptr},
      options);
  for (ConnectionId c = 1; c <= 3; ++c) {
    conference->on_open(c, *SocketAddress::parse("198.51.100." + std::to_string(c) + ":5000"),
                        c == 3 ? host : std::string());
  }
  while (!input.empty()) {
    size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    if (line == "T") {
      world.clock.advance(Seconds(1));
      conference->on_timer();
      continue;
    }
    ConnectionId from = 1;
    if (line.size() >= 2 && line[0] >= '1' && line[0] <= '3' && line[1] == '|') {
      from = static_cast<ConnectionId>(line[0] - '0');
      line.remove_prefix(2);
    }
    (void)parse_client_message(line);
    conference->on_message(from, std::string(line));
    codes.run();
  }
  conference->on_close(2);
  conference.reset();
  return 0;
}

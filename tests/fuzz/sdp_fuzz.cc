// Fuzz target: the SDP parser on arbitrary text; whatever parses must write
// back to text that parses to the same description, and must survive the
// answer builder and the answer check.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "sfu/sdp/answer.h"
#include "sfu/sdp/parser.h"
#include "sfu/sdp/subscriber_offer.h"

using namespace turnd::sfu::sdp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // the signalling protocol's limit
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = parse(text);
  auto* description = std::get_if<SessionDescription>(&result);
  if (description == nullptr) return 0;

  const std::string written = description->to_string();
  auto again = parse(written);
  auto* reparsed = std::get_if<SessionDescription>(&again);
  const bool too_long =
      std::get_if<SdpError>(&again) != nullptr && std::get<SdpError>(again).line > kMaxSdpLines;
  if (!too_long && (reparsed == nullptr || !(*reparsed == *description))) std::abort();

  (void)remote_transport(*description);
  AnswerOptions options;
  options.transport.ice_ufrag = "ufrag";
  options.transport.ice_pwd = "passwordpasswordpassword";
  options.transport.fingerprint_sha256 = "AB:CD";
  options.transport.candidates = {host_udp_candidate("1", "192.0.2.1", 3478)};
  auto answer = build_answer(*description, options);
  if (auto* a = std::get_if<SessionDescription>(&answer)) {
    auto answer_again = parse(a->to_string());
    if (!std::holds_alternative<SessionDescription>(answer_again)) std::abort();
    (void)check_answer(*description, *a);
  }
  return 0;
}

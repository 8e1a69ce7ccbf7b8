// CodeVerifier: where the conference has access codes checked. The checks
// are slow on purpose (scrypt, about 0.1 s of CPU each), so they never run on
// the media or the signalling thread: verify() queues one and the result comes
// back later on the conference's thread. The queue is bounded: a full queue
// refuses at once (the conference answers `busy`) instead of stalling every
// room's joins behind a flood of guesses.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace turnd::sfu::conference {

enum class CodeMatch : uint8_t { kNone, kParticipant, kModerator };

// One join's code and the hashes it may match; an empty hash is a code the
// room does not have (or, both empty, a room that does not exist): the check
// costs the same either way, so timing tells nobody which rooms exist.
struct CodeCheck {
  std::string code;
  std::string participant_hash;
  std::string moderator_hash;
};

class CodeVerifier {
 public:
  enum class Priority : uint8_t { kNormal, kLow };  // kLow: after every kNormal check
  using Done = std::function<void(CodeMatch)>;

  virtual ~CodeVerifier() = default;
  // Queues the check; false (and `done` is never called) when that priority's
  // queue is full.
  virtual bool verify(CodeCheck check, Priority priority, Done done) = 0;
};

}  // namespace turnd::sfu::conference

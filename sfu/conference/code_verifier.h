// CodeVerifier: checks access codes against their scrypt hashes on a thread
// of its own — about 0.1 s of CPU each, by design — so neither the media
// thread nor the signalling thread ever waits for one. Results come back
// through `post`, which runs the callback on the caller's thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace turnd::sfu::conference {

enum class CodeMatch : uint8_t { kNone, kParticipant, kModerator };

class CodeVerifier {
 public:
  using Post = std::function<void(std::function<void()>)>;
  using Done = std::function<void(CodeMatch)>;

  explicit CodeVerifier(Post post);
  ~CodeVerifier();
  CodeVerifier(const CodeVerifier&) = delete;
  CodeVerifier& operator=(const CodeVerifier&) = delete;

  // Empty hashes never match (a room without that code).
  void verify(std::string code, std::string participant_hash, std::string moderator_hash,
              Done done);

 private:
  struct Job {
    std::string code, participant_hash, moderator_hash;
    Done done;
  };
  void run();

  Post post_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace turnd::sfu::conference

// ScryptCodeVerifier: the CodeVerifier of the daemon — checks against the
// stored scrypt/PBKDF2 hashes (db/code_hash) on threads of its own, two
// bounded queues (normal first, then low priority), results handed back
// through `post`, which runs them on the conference's thread.
//
// Every check that does not match the moderator code costs two hash
// computations: an absent hash is replaced by a dummy one made on first use,
// so an unknown room, a room without a moderator code and a wrong code all
// take the same time.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sfu/conference/code_verifier.h"

namespace turnd::sfu::conference {

class ScryptCodeVerifier final : public CodeVerifier {
 public:
  using Post = std::function<void(std::function<void()>)>;
  struct Limits {
    unsigned threads = 0;     // 0: half the cores, 1 to 4
    size_t max_normal = 256;  // queued checks per priority; more are refused
    size_t max_low = 64;
  };

  explicit ScryptCodeVerifier(Post post) : ScryptCodeVerifier(std::move(post), Limits{}) {}
  ScryptCodeVerifier(Post post, Limits limits);
  ~ScryptCodeVerifier() override;
  ScryptCodeVerifier(const ScryptCodeVerifier&) = delete;
  ScryptCodeVerifier& operator=(const ScryptCodeVerifier&) = delete;

  bool verify(CodeCheck check, Priority priority, Done done) override;

 private:
  struct Job {
    CodeCheck check;
    Done done;
  };
  void run();
  CodeMatch match(const CodeCheck& check);
  const std::string& dummy_hash();

  Post post_;
  Limits limits_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> normal_, low_;
  bool stopping_ = false;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
  std::vector<std::thread> threads_;
};

}  // namespace turnd::sfu::conference

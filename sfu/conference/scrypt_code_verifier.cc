#include "sfu/conference/scrypt_code_verifier.h"

#include <algorithm>

#include "db/code_hash.h"

namespace turnd::sfu::conference {

ScryptCodeVerifier::ScryptCodeVerifier(Post post, Limits limits)
    : post_(std::move(post)), limits_(limits) {
  unsigned n = limits_.threads;
  if (n == 0) n = std::clamp(std::thread::hardware_concurrency() / 2, 1u, 4u);
  for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { run(); });
}

ScryptCodeVerifier::~ScryptCodeVerifier() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

bool ScryptCodeVerifier::verify(CodeCheck check, Priority priority, Done done) {
  {
    std::lock_guard lock(mutex_);
    auto& queue = priority == Priority::kNormal ? normal_ : low_;
    size_t max = priority == Priority::kNormal ? limits_.max_normal : limits_.max_low;
    if (queue.size() >= max) return false;
    queue.push_back({std::move(check), std::move(done)});
  }
  wake_.notify_one();
  return true;
}

void ScryptCodeVerifier::run() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !normal_.empty() || !low_.empty(); });
      if (stopping_) return;
      auto& queue = !normal_.empty() ? normal_ : low_;
      job = std::move(queue.front());
      queue.pop_front();
    }
    CodeMatch m = match(job.check);
    post_([done = std::move(job.done), m] { done(m); });
  }
}

CodeMatch ScryptCodeVerifier::match(const CodeCheck& check) {
  auto hash_or_dummy = [this](const std::string& h) -> const std::string& {
    return h.empty() ? dummy_hash() : h;
  };
  bool moderator = db::verify_code(check.code, hash_or_dummy(check.moderator_hash));
  if (moderator && !check.moderator_hash.empty()) return CodeMatch::kModerator;
  bool participant = db::verify_code(check.code, hash_or_dummy(check.participant_hash));
  if (participant && !check.participant_hash.empty()) return CodeMatch::kParticipant;
  return CodeMatch::kNone;
}

// A hash of a random code nobody knows, made once.
const std::string& ScryptCodeVerifier::dummy_hash() {
  std::call_once(dummy_once_, [this] { dummy_hash_ = db::hash_code(db::generate_code()); });
  return dummy_hash_;
}

}  // namespace turnd::sfu::conference

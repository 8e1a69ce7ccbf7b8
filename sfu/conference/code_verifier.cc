#include "sfu/conference/code_verifier.h"

#include "db/code_hash.h"

namespace turnd::sfu::conference {

CodeVerifier::CodeVerifier(Post post) : post_(std::move(post)), thread_([this] { run(); }) {}

CodeVerifier::~CodeVerifier() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void CodeVerifier::verify(std::string code, std::string participant_hash,
                          std::string moderator_hash, Done done) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(
        {std::move(code), std::move(participant_hash), std::move(moderator_hash), std::move(done)});
  }
  wake_.notify_one();
}

void CodeVerifier::run() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    CodeMatch match = CodeMatch::kNone;
    if (!job.moderator_hash.empty() && db::verify_code(job.code, job.moderator_hash)) {
      match = CodeMatch::kModerator;
    } else if (!job.participant_hash.empty() && db::verify_code(job.code, job.participant_hash)) {
      match = CodeMatch::kParticipant;
    }
    post_([done = std::move(job.done), match] { done(match); });
  }
}

}  // namespace turnd::sfu::conference

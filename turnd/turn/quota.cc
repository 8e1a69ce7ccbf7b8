#include "turnd/turn/quota.h"

namespace turnd::turn {

bool Quota::acquire(std::string_view user) {
  std::lock_guard lock(mutex_);
  if (total_limit_ != 0 && total_ >= total_limit_) return false;
  uint32_t& count = per_user_[std::string(user)];
  if (user_limit_ != 0 && count >= user_limit_) {
    if (count == 0) per_user_.erase(std::string(user));
    return false;
  }
  ++count;
  ++total_;
  return true;
}

void Quota::release(std::string_view user) {
  std::lock_guard lock(mutex_);
  auto it = per_user_.find(std::string(user));
  if (it == per_user_.end()) return;
  if (--it->second == 0) per_user_.erase(it);
  --total_;
}

void Quota::set_limits(uint32_t total_limit, uint32_t user_limit) {
  std::lock_guard lock(mutex_);
  total_limit_ = total_limit;
  user_limit_ = user_limit;
}

uint32_t Quota::total() const {
  std::lock_guard lock(mutex_);
  return total_;
}

}  // namespace turnd::turn

// Allocation quotas shared by all workers: `total-quota` for the server and
// `user-quota` per username (486 Allocation Quota Reached). Taken only when
// an allocation is created or deleted, never on the packet path.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace turnd::turn {

class Quota {
 public:
  Quota(uint32_t total_limit, uint32_t user_limit)
      : total_limit_(total_limit), user_limit_(user_limit) {}

  // True and counted when one more allocation for `user` fits.
  bool acquire(std::string_view user);
  void release(std::string_view user);
  uint32_t total() const;
  // New limits apply to the next allocations; none is taken away.
  void set_limits(uint32_t total_limit, uint32_t user_limit);

 private:
  mutable std::mutex mutex_;
  uint32_t total_limit_;
  uint32_t user_limit_;
  uint32_t total_ = 0;
  std::unordered_map<std::string, uint32_t> per_user_;
};

}  // namespace turnd::turn

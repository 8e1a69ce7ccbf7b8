#include "turnd/auth/auth_throttle.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "turnd/common/client_key.h"

namespace turnd::auth {
namespace {

uint64_t mix(uint64_t x) noexcept {  // MurmurHash3's finaliser
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

}  // namespace

AuthThrottle::AuthThrottle(size_t slots, Limits limits)
    : limits_(limits), seed_(0), slots_(std::max<size_t>(slots, 2)) {
  RAND_bytes(reinterpret_cast<unsigned char*>(&seed_), sizeof(seed_));
}

uint64_t AuthThrottle::key_of(const SocketAddress& source,
                              std::string_view username) const noexcept {
  uint64_t h = mix(ClientKey::host(source).value ^ seed_);
  for (char c : username) h = mix(h ^ static_cast<uint8_t>(c)) + 0x9E3779B97F4A7C15ull;
  return h | 1;  // never 0 (empty)
}

// Two different slots for `key`.
std::array<size_t, 2> AuthThrottle::candidates(uint64_t key) const noexcept {
  size_t n = slots_.size();
  size_t first = key % n;
  return {first, (first + 1 + mix(key) % (n - 1)) % n};
}

const AuthThrottle::Slot* AuthThrottle::find(uint64_t key) const noexcept {
  for (size_t i : candidates(key)) {
    if (slots_[i].key == key) return &slots_[i];
  }
  return nullptr;
}

double AuthThrottle::level_at(const Slot& s, SteadyTime now) const noexcept {
  if (now <= s.at) return s.level;
  return std::max(0.0, s.level - std::chrono::duration<double>(now - s.at) / limits_.drain);
}

AuthThrottle::Slot& AuthThrottle::find_or_take(uint64_t key, SteadyTime now) noexcept {
  auto [i, j] = candidates(key);
  Slot& a = slots_[i];
  Slot& b = slots_[j];
  if (a.key == key) return a;
  if (b.key == key) return b;
  auto idle = [&](const Slot& s) {
    return s.key == 0 || (level_at(s, now) <= 0 && s.wait_until <= now);
  };
  Slot& taken = idle(a) ? a : idle(b) ? b : level_at(a, now) <= level_at(b, now) ? a : b;
  taken = Slot{key, 0, now, {}};
  return taken;
}

bool AuthThrottle::waiting(const SocketAddress& source, std::string_view username,
                           SteadyTime now) const noexcept {
  const Slot* s = find(key_of(source, username));
  return s != nullptr && now < s->wait_until;
}

uint32_t AuthThrottle::record_failure(const SocketAddress& source, std::string_view username,
                                      SteadyTime now) noexcept {
  Slot& s = find_or_take(key_of(source, username), now);
  s.level = level_at(s, now) + 1;
  s.at = now;
  auto failures = static_cast<uint32_t>(std::ceil(s.level - 1e-9));
  if (failures > limits_.free) {
    uint32_t doublings = std::min(failures - limits_.free - 1, 30u);
    s.wait_until = now + std::min(limits_.first_wait * (int64_t{1} << doublings), limits_.max_wait);
  }
  return failures;
}

void AuthThrottle::record_success(const SocketAddress& source, std::string_view username) noexcept {
  uint64_t key = key_of(source, username);
  for (size_t i : candidates(key)) {
    if (slots_[i].key == key) slots_[i] = Slot{};
  }
}

uint32_t AuthThrottle::failures(const SocketAddress& source, std::string_view username,
                                SteadyTime now) const noexcept {
  const Slot* s = find(key_of(source, username));
  return s == nullptr ? 0 : static_cast<uint32_t>(std::ceil(level_at(*s, now) - 1e-9));
}

}  // namespace turnd::auth

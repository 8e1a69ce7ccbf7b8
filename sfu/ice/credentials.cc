#include "sfu/ice/credentials.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace turnd::sfu::ice {
namespace {

// 64 ice-chars: a random byte's low six bits pick one without bias.
constexpr std::string_view kIceChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static_assert(kIceChars.size() == 64);

std::string random_ice_chars(size_t length) {
  std::array<unsigned char, kPwdLength> random{};
  static_assert(kPwdLength >= kUfragLength);
  if (length > random.size() || RAND_bytes(random.data(), static_cast<int>(length)) != 1) {
    throw std::runtime_error("ICE credentials: RAND_bytes failed");
  }
  std::string out(length, '\0');
  for (size_t i = 0; i < length; ++i) out[i] = kIceChars[random[i] & 0x3F];
  OPENSSL_cleanse(random.data(), random.size());
  return out;
}

}  // namespace

IceCredentials IceCredentials::generate() {
  IceCredentials c;
  c.ufrag = random_ice_chars(kUfragLength);
  c.pwd = random_ice_chars(kPwdLength);
  return c;
}

bool IceCredentials::valid() const noexcept {
  return ufrag.size() >= kMinUfragLength && ufrag.size() <= kMaxUfragLength &&
         pwd.size() >= kMinPwdLength && pwd.size() <= kMaxPwdLength && is_ice_chars(ufrag) &&
         is_ice_chars(pwd);
}

bool is_ice_chars(std::string_view text) noexcept {
  for (char c : text) {
    if (kIceChars.find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace turnd::sfu::ice

#include "turnd/auth/nonce.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace turnd::auth {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void write_hex32(uint32_t value, char* out) noexcept {
  for (int i = 7; i >= 0; --i) {
    out[i] = kHex[value & 0xF];
    value >>= 4;
  }
}

bool read_hex32(std::string_view text, uint32_t& value) noexcept {
  value = 0;
  for (char c : text) {
    int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (v < 0) return false;
    value = (value << 4) | static_cast<uint32_t>(v);
  }
  return true;
}

}  // namespace

NonceIssuer::NonceIssuer(const Clock& clock, uint32_t lifetime_seconds)
    : clock_(clock), lifetime_(lifetime_seconds) {
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key_.data()), key_.size()) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
}

NonceIssuer::NonceIssuer(const Clock& clock, uint32_t lifetime_seconds,
                         std::array<std::byte, 32> key)
    : clock_(clock), lifetime_(lifetime_seconds), key_(key) {}

bool NonceIssuer::tag(stun::MacContext& mac, uint32_t expiry, const SocketAddress& client,
                      std::array<char, 24>& out) const noexcept {
  std::array<std::byte, 4> expiry_bytes{};
  store_be32(expiry_bytes.data(), expiry);
  const Bytes parts[] = {expiry_bytes, client.ip_bytes()};
  std::array<std::byte, 12> digest{};
  if (!mac.hmac(stun::MacAlgorithm::kSha256, key_, parts, digest)) return false;
  for (size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = kHex[static_cast<uint8_t>(digest[i]) >> 4];
    out[2 * i + 1] = kHex[static_cast<uint8_t>(digest[i]) & 0xF];
  }
  return true;
}

NonceIssuer::Nonce NonceIssuer::issue(stun::MacContext& mac,
                                      const SocketAddress& client) const noexcept {
  Nonce nonce{};
  auto expiry = static_cast<uint32_t>(clock_.unix_seconds() + lifetime_);
  write_hex32(expiry, nonce.data());
  std::array<char, 24> t{};
  tag(mac, expiry, client, t);
  std::copy(t.begin(), t.end(), nonce.data() + 8);
  return nonce;
}

NonceIssuer::Check NonceIssuer::check(stun::MacContext& mac, std::string_view nonce,
                                      const SocketAddress& client) const noexcept {
  uint32_t expiry = 0;
  if (nonce.size() != kNonceLength || !read_hex32(nonce.substr(0, 8), expiry)) {
    return Check::kInvalid;
  }
  std::array<char, 24> expected{};
  if (!tag(mac, expiry, client, expected) ||
      CRYPTO_memcmp(expected.data(), nonce.data() + 8, expected.size()) != 0) {
    return Check::kInvalid;
  }
  return static_cast<int64_t>(expiry) < clock_.unix_seconds() ? Check::kStale : Check::kValid;
}

}  // namespace turnd::auth

#include "sfu/dtls/fingerprint.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace turnd::sfu::dtls {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) noexcept {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<Fingerprint> Fingerprint::of(const X509* certificate) noexcept {
  Fingerprint f;
  unsigned int length = 0;
  if (certificate == nullptr ||
      X509_digest(certificate, EVP_sha256(), f.digest.data(), &length) != 1 || length != kSize) {
    return std::nullopt;
  }
  return f;
}

std::optional<Fingerprint> Fingerprint::parse(std::string_view text) noexcept {
  if (starts_with_ignoring_case(text, "sha-256 ")) text.remove_prefix(8);
  if (text.size() != kSize * 3 - 1) return std::nullopt;
  Fingerprint f;
  for (size_t i = 0; i < kSize; ++i) {
    int high = hex_value(text[i * 3]);
    int low = hex_value(text[i * 3 + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    if (i + 1 < kSize && text[i * 3 + 2] != ':') return std::nullopt;
    f.digest[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return f;
}

std::string Fingerprint::to_string() const {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(kSize * 3 - 1);
  for (size_t i = 0; i < kSize; ++i) {
    if (i > 0) out += ':';
    out += kDigits[digest[i] >> 4];
    out += kDigits[digest[i] & 15];
  }
  return out;
}

bool Fingerprint::matches(const Fingerprint& other) const noexcept {
  return CRYPTO_memcmp(digest.data(), other.digest.data(), kSize) == 0;
}

}  // namespace turnd::sfu::dtls

#include "turnd/stun/integrity.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace turnd::stun {
namespace {

EVP_MAC_CTX* new_hmac_ctx(const char* digest) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) throw std::runtime_error("OpenSSL: HMAC unavailable");
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  EVP_MAC_free(mac);  // the context keeps its own reference
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
      OSSL_PARAM_construct_end()};
  if (ctx == nullptr || EVP_MAC_CTX_set_params(ctx, params) != 1) {
    EVP_MAC_CTX_free(ctx);
    throw std::runtime_error(std::string("OpenSSL: HMAC-") + digest + " unavailable");
  }
  return ctx;
}

constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr auto kCrcTable = make_crc_table();

// Streams `prefix` with bytes 2..3 (the length field) replaced.
std::array<Bytes, 3> patched_parts(Bytes prefix, std::array<std::byte, 2>& length_field,
                                   size_t header_length) {
  store_be16(length_field.data(), static_cast<uint16_t>(header_length));
  return {prefix.first(2), Bytes(length_field), prefix.subspan(4)};
}

bool verify_at(MacContext& mac, MacAlgorithm algorithm, const MessageView& message, size_t offset,
               Bytes key) noexcept {
  if (offset == 0) return false;
  Bytes data = message.data();
  Bytes received = data.subspan(offset + kAttributeHeaderSize, load_be16(data.data() + offset + 2));
  std::array<std::byte, kHmacSha256Size> expected{};
  MutableBytes out(expected.data(), received.size());
  size_t header_length = offset + kAttributeHeaderSize + received.size() - kHeaderSize;
  if (!compute_integrity(mac, algorithm, data.first(offset), header_length, key, out)) {
    return false;
  }
  return CRYPTO_memcmp(out.data(), received.data(), received.size()) == 0;
}

}  // namespace

MacContext::MacContext() : sha1_(new_hmac_ctx("SHA1")), sha256_(new_hmac_ctx("SHA256")) {}

MacContext::~MacContext() {
  EVP_MAC_CTX_free(sha1_);
  EVP_MAC_CTX_free(sha256_);
}

bool MacContext::hmac(MacAlgorithm algorithm, Bytes key, std::span<const Bytes> parts,
                      MutableBytes out) noexcept {
  EVP_MAC_CTX* ctx = algorithm == MacAlgorithm::kSha1 ? sha1_ : sha256_;
  auto* key_data = reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(ctx, key_data, key.size(), nullptr) != 1) return false;
  for (Bytes part : parts) {
    if (EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(part.data()), part.size()) !=
        1) {
      return false;
    }
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  size_t digest_length = 0;
  if (EVP_MAC_final(ctx, digest.data(), &digest_length, digest.size()) != 1) return false;
  if (out.size() > digest_length) return false;
  std::copy_n(reinterpret_cast<const std::byte*>(digest.data()), out.size(), out.data());
  return true;
}

bool compute_integrity(MacContext& mac, MacAlgorithm algorithm, Bytes prefix, size_t header_length,
                       Bytes key, MutableBytes out) noexcept {
  if (prefix.size() < kHeaderSize) return false;
  std::array<std::byte, 2> length_field{};
  auto parts = patched_parts(prefix, length_field, header_length);
  return mac.hmac(algorithm, key, parts, out);
}

bool verify_integrity(MacContext& mac, const MessageView& message, Bytes key) noexcept {
  return verify_at(mac, MacAlgorithm::kSha1, message, message.integrity_offset(), key);
}

bool verify_integrity_sha256(MacContext& mac, const MessageView& message, Bytes key) noexcept {
  return verify_at(mac, MacAlgorithm::kSha256, message, message.integrity_sha256_offset(), key);
}

uint32_t crc32(Bytes data, uint32_t crc) noexcept {
  crc = ~crc;
  for (std::byte b : data) crc = kCrcTable[(crc ^ static_cast<uint8_t>(b)) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

uint32_t compute_fingerprint(Bytes prefix, size_t header_length) noexcept {
  std::array<std::byte, 2> length_field{};
  auto parts = patched_parts(prefix, length_field, header_length);
  uint32_t crc = 0;
  for (Bytes part : parts) crc = crc32(part, crc);
  return crc ^ kFingerprintXor;
}

bool verify_fingerprint(const MessageView& message) noexcept {
  size_t offset = message.fingerprint_offset();
  if (offset == 0) return false;
  Bytes data = message.data();
  return load_be32(data.data() + offset + kAttributeHeaderSize) ==
         compute_fingerprint(data.first(offset), data.size() - kHeaderSize);
}

}  // namespace turnd::stun

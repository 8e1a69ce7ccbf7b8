// MESSAGE-INTEGRITY (HMAC-SHA1), MESSAGE-INTEGRITY-SHA256 and FINGERPRINT
// (RFC 8489 §14.5-14.7). The HMAC runs over the message up to the integrity
// attribute with the header length patched to end right after it, streamed
// so nothing is copied. MacContext owns the OpenSSL MAC state; each worker
// keeps one and reuses it, so computing a MAC does not allocate.
#pragma once

#include <cstdint>

#include "turnd/common/bytes.h"
#include "turnd/stun/message.h"

struct evp_mac_ctx_st;

namespace turnd::stun {

enum class MacAlgorithm : uint8_t { kSha1, kSha256 };

class MacContext {
 public:
  MacContext();  // throws std::runtime_error when OpenSSL has no HMAC
  ~MacContext();
  MacContext(const MacContext&) = delete;
  MacContext& operator=(const MacContext&) = delete;

  // HMAC over the concatenation of `parts`; writes the full digest (20 or 32
  // bytes) truncated to out.size(). False on an OpenSSL failure.
  bool hmac(MacAlgorithm algorithm, Bytes key, std::span<const Bytes> parts,
            MutableBytes out) noexcept;

 private:
  evp_mac_ctx_st* sha1_ = nullptr;
  evp_mac_ctx_st* sha256_ = nullptr;
};

// HMAC over `prefix` (header and the attributes before the integrity
// attribute) as if the header length field said `header_length`.
bool compute_integrity(MacContext& mac, MacAlgorithm algorithm, Bytes prefix, size_t header_length,
                       Bytes key, MutableBytes out) noexcept;

// Constant-time verification; false when the attribute is absent.
bool verify_integrity(MacContext& mac, const MessageView& message, Bytes key) noexcept;
bool verify_integrity_sha256(MacContext& mac, const MessageView& message, Bytes key) noexcept;

uint32_t crc32(Bytes data, uint32_t crc = 0) noexcept;
uint32_t compute_fingerprint(Bytes prefix, size_t header_length) noexcept;
// True when FINGERPRINT is present and right; false when absent or wrong.
bool verify_fingerprint(const MessageView& message) noexcept;

}  // namespace turnd::stun

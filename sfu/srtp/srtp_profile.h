// The SRTP protection profiles the SFU negotiates over DTLS-SRTP, with their
// key sizes and per-packet overhead (RFC 5764 §4.1.2, RFC 7714 §14.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace turnd::sfu::srtp {

enum class SrtpProfile : uint8_t {
  kAes128CmHmacSha1_80,  // SRTP_AES128_CM_HMAC_SHA1_80: AES-CM, 80-bit HMAC-SHA1 tag
  kAeadAes128Gcm,        // SRTP_AEAD_AES_128_GCM: AES-GCM, 128-bit tag
};

inline constexpr size_t kMasterKeyLength = 16;  // both profiles use AES-128
inline constexpr size_t kMaxMasterSaltLength = 14;

constexpr size_t master_salt_length(SrtpProfile p) noexcept {
  return p == SrtpProfile::kAeadAes128Gcm ? 12 : 14;
}
constexpr size_t auth_tag_length(SrtpProfile p) noexcept {
  return p == SrtpProfile::kAeadAes128Gcm ? 16 : 10;
}
// Bytes protect_rtp() appends (no MKI is used).
constexpr size_t rtp_overhead(SrtpProfile p) noexcept {
  return auth_tag_length(p);
}
// Bytes protect_rtcp() appends: the tag and the E flag + SRTCP index word.
constexpr size_t rtcp_overhead(SrtpProfile p) noexcept {
  return auth_tag_length(p) + 4;
}

// The DTLS "use_srtp" extension's profile identifiers.
inline constexpr uint16_t kDtlsIdAes128CmHmacSha1_80 = 0x0001;
inline constexpr uint16_t kDtlsIdAeadAes128Gcm = 0x0007;

constexpr std::optional<SrtpProfile> profile_from_dtls_id(unsigned long id) noexcept {
  if (id == kDtlsIdAes128CmHmacSha1_80) return SrtpProfile::kAes128CmHmacSha1_80;
  if (id == kDtlsIdAeadAes128Gcm) return SrtpProfile::kAeadAes128Gcm;
  return std::nullopt;
}

constexpr const char* to_string(SrtpProfile p) noexcept {
  return p == SrtpProfile::kAeadAes128Gcm ? "AEAD_AES_128_GCM" : "AES_CM_128_HMAC_SHA1_80";
}

}  // namespace turnd::sfu::srtp

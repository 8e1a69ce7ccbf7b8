// Fingerprint: the SHA-256 digest of a DER certificate, as carried by SDP's
// a=fingerprint:sha-256 AB:CD:... (RFC 8122 §5). DTLS-SRTP peers use
// self-signed certificates; this digest is what authenticates them
// (RFC 5763 §5). Only sha-256 is supported: it is what browsers send.
#pragma once

#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace turnd::sfu::dtls {

struct Fingerprint {
  static constexpr size_t kSize = 32;
  std::array<uint8_t, kSize> digest{};

  // The certificate's SHA-256 fingerprint; nullopt when OpenSSL fails.
  static std::optional<Fingerprint> of(const X509* certificate) noexcept;
  // "AB:CD:..." (32 colon-separated hex pairs, either case), optionally
  // preceded by "sha-256 " as in the SDP attribute value.
  static std::optional<Fingerprint> parse(std::string_view text) noexcept;

  std::string to_string() const;  // "AB:CD:...", upper case
  // Constant-time comparison.
  bool matches(const Fingerprint& other) const noexcept;
};

}  // namespace turnd::sfu::dtls

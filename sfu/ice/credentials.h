// ICE short-term credentials (RFC 8445 §5.3, RFC 8839 §5.4): a username
// fragment and a password made of ice-chars (ALPHA / DIGIT / "+" / "/").
// A check from the peer carries USERNAME "OURUFRAG:THEIRUFRAG" and is signed
// with our password as the MESSAGE-INTEGRITY key, used as is: ice-chars are
// unchanged by SASLprep/OpaqueString.
#pragma once

#include <string>
#include <string_view>

namespace turnd::sfu::ice {

inline constexpr size_t kUfragLength = 8;  // RFC 8839: at least 4 ice-chars
inline constexpr size_t kPwdLength = 24;   // RFC 8839: at least 22 ice-chars
inline constexpr size_t kMinUfragLength = 4;
inline constexpr size_t kMaxUfragLength = 256;
inline constexpr size_t kMinPwdLength = 22;
inline constexpr size_t kMaxPwdLength = 256;

struct IceCredentials {
  std::string ufrag;
  std::string pwd;

  // Fresh random credentials from OpenSSL's CSPRNG (RAND_bytes); 128+ bits
  // in the password. Throws std::runtime_error when the CSPRNG fails.
  static IceCredentials generate();

  // Lengths within RFC 8839's bounds and ice-chars only.
  bool valid() const noexcept;
};

bool is_ice_chars(std::string_view text) noexcept;

}  // namespace turnd::sfu::ice

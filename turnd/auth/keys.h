// Long-term credential keys (RFC 8489 §9.2.2): the HMAC key is
// MD5(username ":" realm ":" password), or SHA-256 of the same string when
// the client chose PASSWORD-ALGORITHM SHA-256. SASLprep/OpaqueString of the
// password is the caller's business (config passwords are taken as written).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace turnd::auth {

using Md5Key = std::array<uint8_t, 16>;
using Sha256Key = std::array<uint8_t, 32>;

Md5Key md5_key(std::string_view username, std::string_view realm, std::string_view password);
Sha256Key sha256_key(std::string_view username, std::string_view realm, std::string_view password);

}  // namespace turnd::auth

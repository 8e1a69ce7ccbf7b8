// HMAC-SHA1 (RFC 2104) as a libsrtp authentication type, registered for
// SRTP_HMAC_SHA1 by SrtpLibrary: AES_CM_128_HMAC_SHA1_80's tag (RFC 3711
// §4.2.1; 10 bytes, or 4 for the _32 variant).
//
// The contract libsrtp 2.5.0 relies on (crypto/include/auth.h):
//   alloc(key_len, out_len): out_len <= 20; prefix_len is 0 (no keystream
//     prefix). init(key, key_len) keys it and may be called again.
//   start() begins a message, update(data) adds to it, compute(data,
//     tag_len, out) adds the last part and writes the first tag_len bytes of
//     the HMAC. (SRTP: start, update(packet), compute(ROC); SRTCP: start,
//     compute(packet || E+index).)
//
// Why not EVP_MAC: with OpenSSL 3.0 every way to restart an HMAC or digest
// through EVP allocates — EVP_MAC_init with a NULL key (2 allocations),
// EVP_MAC_CTX_dup (10), EVP_MD_CTX_copy_ex (1: the provider's dupctx),
// EVP_DigestInit_ex (1: a new provider context) — measured with
// bench/alloc_count.h. So init() computes the inner and outer SHA-1 states
// after key^ipad and key^opad once, with OpenSSL's SHA1_* functions (the
// same assembly as the provider; deprecated in 3.0 but present in every
// 3.x), and each message starts from a plain copy of those states: no
// allocation, no lock. One instance must not be used by two threads at once.
#pragma once

#include <srtp2/auth.h>

namespace turnd::sfu::srtp {

// The type to hand to srtp_replace_auth_type(..., SRTP_HMAC_SHA1). Its
// self-test data is RFC 2202's seven HMAC-SHA1 test cases.
const srtp_auth_type_t& hmac_sha1_type() noexcept;

}  // namespace turnd::sfu::srtp

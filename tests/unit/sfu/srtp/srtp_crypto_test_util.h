// Helpers for the tests of the libsrtp crypto types (evp_aes_icm, evp_aes_gcm,
// hmac_sha1): hex bytes as uint8_t, and RAII owners for the cipher and auth
// instances the tests make through libsrtp's public cipher.h / auth.h API.
#pragma once

#include <srtp2/auth.h>
#include <srtp2/cipher.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "hex.h"

namespace turnd::sfu::srtp::test {

inline std::vector<uint8_t> hex8(std::string_view text) {
  std::vector<uint8_t> out;
  for (std::byte b : turnd::test::from_hex(text)) out.push_back(static_cast<uint8_t>(b));
  return out;
}

struct CipherFree {
  void operator()(srtp_cipher_t* c) const noexcept { srtp_cipher_dealloc(c); }
};
using CipherPtr = std::unique_ptr<srtp_cipher_t, CipherFree>;

// An instance of `type`, keyed; null when alloc or init failed.
inline CipherPtr make_cipher(const srtp_cipher_type_t& type, const std::vector<uint8_t>& key,
                             int tag_length = 0) {
  srtp_cipher_t* c = nullptr;
  if (srtp_cipher_type_alloc(&type, &c, static_cast<int>(key.size()), tag_length) !=
      srtp_err_status_ok) {
    return nullptr;
  }
  CipherPtr owned(c);
  if (srtp_cipher_init(c, key.data()) != srtp_err_status_ok) return nullptr;
  return owned;
}

struct AuthFree {
  void operator()(srtp_auth_t* a) const noexcept { a->type->dealloc(a); }
};
using AuthPtr = std::unique_ptr<srtp_auth_t, AuthFree>;

inline AuthPtr make_auth(const srtp_auth_type_t& type, const std::vector<uint8_t>& key,
                         int tag_length) {
  srtp_auth_t* a = nullptr;
  if (type.alloc(&a, static_cast<int>(key.size()), tag_length) != srtp_err_status_ok) {
    return nullptr;
  }
  AuthPtr owned(a);
  if (type.init(a->state, key.data(), a->key_len) != srtp_err_status_ok) return nullptr;
  return owned;
}

}  // namespace turnd::sfu::srtp::test

// Exported by libsrtp2 but declared only in its uninstalled crypto_kernel.h:
// which type the kernel hands out for an id.
extern "C" const srtp_cipher_type_t* srtp_crypto_kernel_get_cipher_type(srtp_cipher_type_id_t id);
extern "C" const srtp_auth_type_t* srtp_crypto_kernel_get_auth_type(srtp_auth_type_id_t id);

// libsrtp2's built-in types (Debian's: over NSS) and their self-test data,
// exported but not declared in the installed headers. The interop tests use
// them as the reference implementation.
extern "C" const srtp_cipher_type_t srtp_aes_icm_128;
extern "C" const srtp_cipher_type_t srtp_aes_gcm_128;
extern "C" const srtp_auth_type_t srtp_hmac;
extern "C" const srtp_cipher_test_case_t srtp_aes_icm_128_test_case_0;
extern "C" const srtp_cipher_test_case_t srtp_aes_gcm_128_test_case_0;
extern "C" const srtp_auth_test_case_t srtp_hmac_test_case_0;

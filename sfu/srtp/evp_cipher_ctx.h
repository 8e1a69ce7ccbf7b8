// EvpCipherCtxPtr: the RAII owner of an OpenSSL EVP_CIPHER_CTX, for the
// libsrtp cipher types in this folder (evp_aes_icm.h, evp_aes_gcm.h).
// EVP_CIPHER_CTX_free() also wipes the key schedule.
#pragma once

#include <openssl/evp.h>

#include <memory>

namespace turnd::sfu::srtp {

struct EvpCipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using EvpCipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, EvpCipherCtxFree>;

}  // namespace turnd::sfu::srtp

#include "sfu/srtp/srtp_library.h"

#include <srtp2/auth.h>
#include <srtp2/cipher.h>
#include <srtp2/srtp.h>

#include <stdexcept>
#include <string>

#include "sfu/srtp/evp_aes_gcm.h"
#include "sfu/srtp/evp_aes_icm.h"
#include "sfu/srtp/hmac_sha1.h"

namespace turnd::sfu::srtp {
namespace {

struct Start {
  const char* step = nullptr;  // what failed, or null
  srtp_err_status_t status = srtp_err_status_ok;
};

Start start_kernel() noexcept {
  if (srtp_err_status_t s = srtp_init(); s != srtp_err_status_ok) return {"srtp_init", s};
  if (srtp_err_status_t s = srtp_replace_cipher_type(&evp_aes_icm_128_type(), SRTP_AES_ICM_128);
      s != srtp_err_status_ok) {
    return {"replacing AES-ICM-128", s};
  }
  if (srtp_err_status_t s = srtp_replace_cipher_type(&evp_aes_gcm_128_type(), SRTP_AES_GCM_128);
      s != srtp_err_status_ok) {
    return {"replacing AES-GCM-128", s};
  }
  if (srtp_err_status_t s = srtp_replace_auth_type(&hmac_sha1_type(), SRTP_HMAC_SHA1);
      s != srtp_err_status_ok) {
    return {"replacing HMAC-SHA1", s};
  }
  return {};
}

}  // namespace

SrtpLibrary::SrtpLibrary() {
  static const Start start = start_kernel();
  if (start.step != nullptr) {
    throw std::runtime_error(std::string("libsrtp: ") + start.step + " failed with status " +
                             std::to_string(static_cast<int>(start.status)));
  }
}

}  // namespace turnd::sfu::srtp

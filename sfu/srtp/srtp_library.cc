#include "sfu/srtp/srtp_library.h"

#include <srtp2/srtp.h>

#include <stdexcept>
#include <string>

namespace turnd::sfu::srtp {

SrtpLibrary::SrtpLibrary() {
  static const srtp_err_status_t status = srtp_init();
  if (status != srtp_err_status_ok) {
    throw std::runtime_error("libsrtp: srtp_init failed with status " +
                             std::to_string(static_cast<int>(status)));
  }
}

}  // namespace turnd::sfu::srtp

// DtlsCertificate: the SFU's DTLS identity, an ECDSA P-256 key and a
// self-signed X.509 certificate generated at start-up (RFC 8827 §6.5: a
// fresh self-signed certificate, authenticated by its fingerprint in SDP).
// Random 64-bit serial, CN "turnd", valid from a day ago (clock skew) for
// `validity` days.
#pragma once

#include <chrono>
#include <string>

#include "sfu/dtls/fingerprint.h"
#include "sfu/dtls/openssl_ptr.h"

namespace turnd::sfu::dtls {

class DtlsCertificate {
 public:
  // Throws std::runtime_error when OpenSSL fails.
  static DtlsCertificate generate(std::chrono::days validity = std::chrono::days(30));

  EVP_PKEY* key() const noexcept { return key_.get(); }
  X509* x509() const noexcept { return certificate_.get(); }
  const Fingerprint& fingerprint() const noexcept { return fingerprint_; }
  // For SDP: a=fingerprint:sha-256 <this>, "AB:CD:...".
  std::string fingerprint_sha256() const { return fingerprint_.to_string(); }

 private:
  DtlsCertificate(EvpPkeyPtr key, X509Ptr certificate, Fingerprint fingerprint) noexcept
      : key_(std::move(key)), certificate_(std::move(certificate)), fingerprint_(fingerprint) {}

  EvpPkeyPtr key_;
  X509Ptr certificate_;
  Fingerprint fingerprint_;
};

}  // namespace turnd::sfu::dtls

// DtlsContext: the SSL_CTX shared by a worker's DTLS transports (RFC 5763,
// RFC 5764, RFC 8842): DTLS 1.2 only, ECDHE with AES-GCM preferred, the
// use_srtp extension offering AEAD_AES_128_GCM then AES128_CM_SHA1_80, our
// certificate, and a peer certificate required but not verified against any
// CA — the peer is authenticated by its SDP fingerprint (DtlsTransport).
// It also owns the BIO_METHOD the transports' datagram BIOs use, so it must
// outlive every DtlsTransport made from it.
#pragma once

#include <string>

#include "sfu/dtls/dtls_certificate.h"
#include "sfu/dtls/openssl_ptr.h"

namespace turnd::sfu::dtls {

struct DtlsContextOptions {
  // Our preference first; as DTLS server we pick the first one of ours the
  // client offers (OpenSSL's use_srtp negotiation).
  std::string srtp_profiles = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";
  std::string cipher_list =
      "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
      "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:"
      "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305:"
      "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA";
};

class DtlsContext {
 public:
  // Throws std::runtime_error when OpenSSL rejects any of it.
  explicit DtlsContext(const DtlsCertificate& certificate, const DtlsContextOptions& options = {});

  DtlsContext(const DtlsContext&) = delete;
  DtlsContext& operator=(const DtlsContext&) = delete;

  SSL_CTX* ssl_ctx() const noexcept { return ctx_.get(); }
  const BIO_METHOD* bio_method() const noexcept { return bio_method_.get(); }
  const Fingerprint& local_fingerprint() const noexcept { return local_fingerprint_; }

 private:
  SslCtxPtr ctx_;
  BioMethodPtr bio_method_;
  Fingerprint local_fingerprint_;
};

}  // namespace turnd::sfu::dtls

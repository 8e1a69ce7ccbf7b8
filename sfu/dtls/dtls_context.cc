#include "sfu/dtls/dtls_context.h"

#include <openssl/err.h>

#include <stdexcept>

#include "sfu/dtls/datagram_bio.h"

namespace turnd::sfu::dtls {
namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  char detail[256] = "";
  ERR_error_string_n(ERR_get_error(), detail, sizeof detail);
  ERR_clear_error();
  throw std::runtime_error(std::string("DTLS context: ") + what + ": " + detail);
}

// Any certificate is acceptable to OpenSSL: self-signed is the norm, and the
// real check is the SDP fingerprint, made by DtlsTransport's own callback.
int accept_any_certificate(int, X509_STORE_CTX*) {
  return 1;
}

}  // namespace

DtlsContext::DtlsContext(const DtlsCertificate& certificate, const DtlsContextOptions& options)
    : ctx_(SSL_CTX_new(DTLS_method())),
      bio_method_(make_datagram_bio_method()),
      local_fingerprint_(certificate.fingerprint()) {
  check(ctx_ != nullptr, "SSL_CTX_new");
  SSL_CTX* ctx = ctx_.get();
  check(SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) == 1, "DTLS 1.2");
  check(SSL_CTX_set_cipher_list(ctx, options.cipher_list.c_str()) == 1, "cipher list");
  check(SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") == 1, "groups");
  check(SSL_CTX_use_certificate(ctx, certificate.x509()) == 1, "certificate");
  check(SSL_CTX_use_PrivateKey(ctx, certificate.key()) == 1, "private key");
  check(SSL_CTX_check_private_key(ctx) == 1, "key does not match the certificate");
  // Returns 0 on success, unlike nearly everything else in OpenSSL.
  check(SSL_CTX_set_tlsext_use_srtp(ctx, options.srtp_profiles.c_str()) == 0, "use_srtp");
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                     accept_any_certificate);
  SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET |
                               SSL_OP_NO_QUERY_MTU | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_read_ahead(ctx, 1);
}

}  // namespace turnd::sfu::dtls

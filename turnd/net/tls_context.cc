#include "turnd/net/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdexcept>

namespace turnd::net {
namespace {

[[noreturn]] void fail(const std::string& what) {
  char reason[256] = "unknown error";
  if (unsigned long e = ERR_get_error(); e != 0) ERR_error_string_n(e, reason, sizeof(reason));
  ERR_clear_error();
  throw std::runtime_error(what + ": " + reason);
}

}  // namespace

TlsContext::TlsContext(const std::string& cert_file, const std::string& key_file,
                       const std::string& cipher_list)
    : ctx_(SSL_CTX_new(TLS_server_method())) {
  if (ctx_ == nullptr) fail("TLS: cannot create context");
  try {
    SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
    SSL_CTX_set_options(
        ctx_, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_mode(ctx_, SSL_MODE_RELEASE_BUFFERS);
    if (SSL_CTX_use_certificate_chain_file(ctx_, cert_file.c_str()) != 1) {
      fail("TLS: cannot load certificate " + cert_file);
    }
    if (SSL_CTX_use_PrivateKey_file(ctx_, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      fail("TLS: cannot load private key " + key_file);
    }
    if (SSL_CTX_check_private_key(ctx_) != 1) {
      fail("TLS: private key " + key_file + " does not match " + cert_file);
    }
    if (!cipher_list.empty() && SSL_CTX_set_cipher_list(ctx_, cipher_list.c_str()) != 1) {
      fail("TLS: bad cipher-list '" + cipher_list + "'");
    }
  } catch (...) {
    SSL_CTX_free(ctx_);
    throw;
  }
}

TlsContext::~TlsContext() {
  SSL_CTX_free(ctx_);
}

}  // namespace turnd::net

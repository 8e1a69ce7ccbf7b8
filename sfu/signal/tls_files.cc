#include "sfu/signal/tls_files.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace turnd::sfu::signal {
namespace {

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const noexcept { SSL_CTX_free(ctx); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
struct FileClose {
  void operator()(FILE* f) const noexcept { std::fclose(f); }
};

[[noreturn]] void fail(const std::string& what) {
  char reason[256] = "unknown error";
  if (unsigned long e = ERR_get_error(); e != 0) ERR_error_string_n(e, reason, sizeof(reason));
  ERR_clear_error();
  throw std::runtime_error(what + ": " + reason);
}

}  // namespace

void check_tls_files(const std::string& cert_file, const std::string& key_file,
                     const std::string& cipher_list) {
  if (cert_file.empty()) throw std::runtime_error("TLS: no certificate file configured");
  if (key_file.empty()) throw std::runtime_error("TLS: no private key file configured");
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) fail("TLS: cannot create a context");
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), cert_file.c_str()) != 1) {
    fail("TLS: cannot load certificate " + cert_file);
  }
  std::unique_ptr<FILE, FileClose> file(std::fopen(key_file.c_str(), "r"));
  if (!file) {
    throw std::runtime_error("TLS: cannot open private key " + key_file + ": " +
                             std::strerror(errno));
  }
  std::unique_ptr<EVP_PKEY, PkeyFree> key(
      PEM_read_PrivateKey(file.get(), nullptr, nullptr, nullptr));
  if (!key) fail("TLS: cannot load private key " + key_file);
  if (SSL_CTX_use_PrivateKey(ctx.get(), key.get()) != 1 ||
      SSL_CTX_check_private_key(ctx.get()) != 1) {
    fail("TLS: private key " + key_file + " does not match " + cert_file);
  }
  if (!cipher_list.empty() && SSL_CTX_set_cipher_list(ctx.get(), cipher_list.c_str()) != 1) {
    fail("TLS: bad cipher list '" + cipher_list + "'");
  }
}

}  // namespace turnd::sfu::signal

// TlsContext: the server's SSL_CTX — TLS 1.2 and 1.3 only, the configured
// certificate chain and key, optional TLS 1.2 cipher list. Shared read-only
// by all workers (OpenSSL makes SSL objects from one SSL_CTX thread-safely).
#pragma once

#include <string>

struct ssl_ctx_st;

namespace turnd::net {

class TlsContext {
 public:
  // Throws std::runtime_error with the file and OpenSSL's reason.
  TlsContext(const std::string& cert_file, const std::string& key_file,
             const std::string& cipher_list);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  ssl_ctx_st* get() const noexcept { return ctx_; }

 private:
  ssl_ctx_st* ctx_;
};

}  // namespace turnd::net

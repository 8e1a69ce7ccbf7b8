// Checks the signalling server's certificate and key before libwebsockets
// loads them, so that a bad file is reported with its name and OpenSSL's
// reason instead of libwebsockets' generic vhost failure.
#pragma once

#include <string>

namespace turnd::sfu::signal {

// Throws std::runtime_error naming the file: unreadable or not PEM, a key
// that does not match the certificate, or a cipher list OpenSSL refuses.
void check_tls_files(const std::string& cert_file, const std::string& key_file,
                     const std::string& cipher_list);

}  // namespace turnd::sfu::signal

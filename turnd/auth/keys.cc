#include "turnd/auth/keys.h"

#include <openssl/evp.h>

#include <stdexcept>
#include <string>

namespace turnd::auth {
namespace {

template <size_t N>
std::array<uint8_t, N> digest(const EVP_MD* md, std::string_view username, std::string_view realm,
                              std::string_view password) {
  std::string input;
  input.reserve(username.size() + realm.size() + password.size() + 2);
  input.append(username).append(":").append(realm).append(":").append(password);
  std::array<uint8_t, N> out{};
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), out.data(), &length, md, nullptr) != 1 ||
      length != N) {
    throw std::runtime_error("OpenSSL digest failed");
  }
  return out;
}

}  // namespace

Md5Key md5_key(std::string_view username, std::string_view realm, std::string_view password) {
  return digest<16>(EVP_md5(), username, realm, password);
}

Sha256Key sha256_key(std::string_view username, std::string_view realm, std::string_view password) {
  return digest<32>(EVP_sha256(), username, realm, password);
}

}  // namespace turnd::auth

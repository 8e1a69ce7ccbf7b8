#include "turnd/config/users.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <string>

namespace turnd::config {
namespace {

constexpr std::string_view kKeyPrefix = "0x";
constexpr size_t kMd5Size = 16;
constexpr size_t kSha256Size = 32;
constexpr std::string_view kUserSyntax = "expected name:password or name:0x<32 hex digits>";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_key_form(std::string_view secret) {
  return secret.starts_with(kKeyPrefix) && secret.size() == kKeyPrefix.size() + 2 * kMd5Size;
}

std::array<uint8_t, kMd5Size> decode_key(const Field& field, std::string_view hex) {
  std::array<uint8_t, kMd5Size> key{};
  for (size_t i = 0; i < key.size(); ++i) {
    int high = hex_digit(hex[2 * i]);
    int low = hex_digit(hex[2 * i + 1]);
    if (high < 0 || low < 0) fail(field, kUserSyntax);
    key[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return key;
}

template <size_t kSize>
std::array<uint8_t, kSize> digest(const EVP_MD* md, std::string_view data, std::string_view where) {
  std::array<uint8_t, kSize> out{};
  unsigned int size = 0;
  if (md == nullptr || EVP_Digest(data.data(), data.size(), out.data(), &size, md, nullptr) != 1 ||
      size != kSize) {
    fail(where, std::string("user: OpenSSL cannot compute ") +
                    (md != nullptr ? EVP_MD_get0_name(md) : "a digest"));
  }
  return out;
}

void derive_keys(User& user, std::string_view realm, std::string_view password,
                 std::string_view where) {
  std::string input = user.name;
  input.append(":").append(realm).append(":").append(password);
  user.md5_key = digest<kMd5Size>(EVP_md5(), input, where);
  user.sha256_key = digest<kSha256Size>(EVP_sha256(), input, where);
  OPENSSL_cleanse(input.data(), input.size());
}

}  // namespace

void add_user(Config& config, const Field& field) {
  std::string_view value = require_value(field);
  auto colon = value.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == value.size()) {
    fail(field, kUserSyntax);
  }
  User user;
  user.name = std::string(value.substr(0, colon));
  std::string_view secret = value.substr(colon + 1);
  if (std::ranges::any_of(config.users, [&](const User& u) { return u.name == user.name; })) {
    fail(field, quoted(user.name) + " is defined twice");
  }
  if (is_key_form(secret)) {
    user.md5_key = decode_key(field, secret.substr(kKeyPrefix.size()));
  } else {
    config.pending_passwords.push_back({config.users.size(), std::string(secret)});
  }
  config.users.push_back(std::move(user));
}

void derive_user_keys(Config& config, std::string_view where) {
  for (auto& pending : config.pending_passwords) {
    derive_keys(config.users.at(pending.user_index), config.realm, pending.password, where);
  }
  wipe_pending_passwords(config);
}

void wipe_pending_passwords(Config& config) noexcept {
  for (auto& pending : config.pending_passwords) {
    OPENSSL_cleanse(pending.password.data(), pending.password.size());
  }
  config.pending_passwords.clear();
}

}  // namespace turnd::config

#include "db/turn_credentials.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>

#include "db/errors.h"
#include "db/native.h"

namespace turnd::db {
namespace {

constexpr size_t kMaxRealm = 127;
constexpr size_t kMaxName = 512;
constexpr size_t kMaxSecret = 256;
constexpr char kHex[] = "0123456789abcdef";

std::string hex(const unsigned char* data, size_t size) {
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 0xf];
  }
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::array<uint8_t, 16>> decode_md5_key(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);  // char(128) padding
  std::array<uint8_t, 16> key{};
  if (text.size() != 2 * key.size()) return std::nullopt;
  for (size_t i = 0; i < key.size(); ++i) {
    int high = hex_digit(text[2 * i]);
    int low = hex_digit(text[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    key[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return key;
}

std::optional<std::string> text_problem(std::string_view what, std::string_view text,
                                        size_t max_size, bool allow_colon) {
  if (text.empty()) return "empty " + std::string(what);
  if (text.size() > max_size) {
    return std::string(what) + " longer than " + std::to_string(max_size) + " bytes";
  }
  bool control = std::ranges::any_of(text, [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
  if (control) return std::string(what) + " contains a control character";
  if (!allow_colon && text.find(':') != std::string_view::npos) {
    return std::string(what) + " contains ':'";
  }
  return std::nullopt;
}

void check(const std::optional<std::string>& problem) {
  if (problem) throw InvalidInput(*problem);
}

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

}  // namespace

std::string lt_hmackey(std::string_view name, std::string_view realm, std::string_view password) {
  std::string input(name);
  input.append(":").append(realm).append(":").append(password);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  int ok = EVP_Digest(input.data(), input.size(), digest, &size, EVP_md5(), nullptr);
  OPENSSL_cleanse(input.data(), input.size());
  if (ok != 1) throw Error("OpenSSL cannot compute MD5");
  return hex(digest, size);
}

std::optional<std::string> user_name_problem(std::string_view name) {
  return text_problem("user name", name, kMaxName, false);
}

std::optional<std::string> realm_problem(std::string_view realm) {
  return text_problem("realm", realm, kMaxRealm, false);
}

std::optional<std::string> secret_problem(std::string_view secret) {
  return text_problem("secret", secret, kMaxSecret, true);
}

Upsert put_user(Database& db, std::string_view realm, std::string_view name,
                std::string_view hmackey) {
  check(realm_problem(realm));
  check(user_name_problem(name));
  if (!decode_md5_key(hmackey)) throw InvalidInput("hmackey must be 32 hex digits");
  return transact(db, [&](pqxx::work& work) {
    // xmax = 0 only for a freshly inserted row.
    pqxx::row row = work.exec_params1(
        "INSERT INTO turnusers_lt (realm, name, hmackey) VALUES ($1, $2, $3) "
        "ON CONFLICT (realm, name) DO UPDATE SET hmackey = EXCLUDED.hmackey "
        "RETURNING (xmax = 0)",
        std::string(realm), std::string(name), std::string(hmackey));
    return row[0].as<bool>() ? Upsert::kAdded : Upsert::kUpdated;
  });
}

void delete_user(Database& db, std::string_view realm, std::string_view name) {
  transact(db, [&](pqxx::work& work) {
    auto r = work.exec_params("DELETE FROM turnusers_lt WHERE realm = $1 AND name = $2",
                              std::string(realm), std::string(name));
    if (r.affected_rows() == 0) {
      throw NotFound("no user " + quoted(name) + " in realm " + quoted(realm));
    }
  });
}

std::vector<TurnUser> list_users(Database& db, const std::optional<std::string>& realm) {
  return transact(db, [&](pqxx::work& work) {
    std::vector<TurnUser> users;
    for (const auto& row :
         work.exec_params("SELECT realm, name, hmackey FROM turnusers_lt "
                          "WHERE $1::text IS NULL OR realm = $1 ORDER BY realm, name",
                          realm)) {
      auto key = decode_md5_key(row[2].c_str());
      if (!key) continue;
      users.push_back({row[0].as<std::string>(), row[1].as<std::string>(), *key});
    }
    return users;
  });
}

bool add_secret(Database& db, std::string_view realm, std::string_view value) {
  check(realm_problem(realm));
  check(secret_problem(value));
  return transact(db, [&](pqxx::work& work) {
    return work.exec_params(
                   "INSERT INTO turn_secret (realm, value) VALUES ($1, $2) "
                   "ON CONFLICT DO NOTHING",
                   std::string(realm), std::string(value))
               .affected_rows() == 1;
  });
}

void delete_secret(Database& db, std::string_view realm, std::string_view value) {
  transact(db, [&](pqxx::work& work) {
    auto r = work.exec_params("DELETE FROM turn_secret WHERE realm = $1 AND value = $2",
                              std::string(realm), std::string(value));
    if (r.affected_rows() == 0) throw NotFound("no such secret in realm " + quoted(realm));
  });
}

std::vector<TurnSecret> list_secrets(Database& db, const std::optional<std::string>& realm) {
  return transact(db, [&](pqxx::work& work) {
    std::vector<TurnSecret> secrets;
    for (const auto& row :
         work.exec_params("SELECT realm, value FROM turn_secret "
                          "WHERE $1::text IS NULL OR realm = $1 ORDER BY realm, value",
                          realm)) {
      secrets.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
    }
    return secrets;
  });
}

std::string generate_secret() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) throw Error("OpenSSL's random generator failed");
  std::string out = hex(bytes, sizeof(bytes));
  OPENSSL_cleanse(bytes, sizeof(bytes));
  return out;
}

}  // namespace turnd::db

// TURN long-term credential users (turnusers_lt) and REST API secrets
// (turn_secret), realm-scoped, in coturn's tables and formats. Clear passwords
// never reach the database: only coturn's key hex(MD5(name:realm:password)).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"

namespace turnd::db {

// coturn's hmackey: lowercase hex of MD5("name:realm:password") (RFC 8489 §9.2.2).
std::string lt_hmackey(std::string_view name, std::string_view realm, std::string_view password);

// Why a name, realm or secret cannot be stored, or nullopt: non-empty, no
// control characters, within coturn's column sizes (512, 127, 256 bytes); a
// realm or user name also may not contain ':' (it separates the MD5 input).
std::optional<std::string> user_name_problem(std::string_view name);
std::optional<std::string> realm_problem(std::string_view realm);
std::optional<std::string> secret_problem(std::string_view secret);

enum class Upsert { kAdded, kUpdated };

struct TurnUser {
  std::string realm;
  std::string name;
  std::array<uint8_t, 16> md5_key{};  // decoded hmackey
};

// Adds the user or replaces its key. Throws InvalidInput for a bad name, realm
// or key (32 hex digits).
Upsert put_user(Database& db, std::string_view realm, std::string_view name,
                std::string_view hmackey);
// Throws NotFound.
void delete_user(Database& db, std::string_view realm, std::string_view name);
// By realm, then name; every realm when `realm` is nullopt. Rows whose hmackey
// is not 32 hex digits (coturn's SHA-256 keys) are skipped.
std::vector<TurnUser> list_users(Database& db, const std::optional<std::string>& realm = {});

struct TurnSecret {
  std::string realm;
  std::string value;
};

// Returns false when the realm already has this secret. Throws InvalidInput.
bool add_secret(Database& db, std::string_view realm, std::string_view value);
// Throws NotFound.
void delete_secret(Database& db, std::string_view realm, std::string_view value);
std::vector<TurnSecret> list_secrets(Database& db, const std::optional<std::string>& realm = {});

// A fresh REST API secret: 32 random bytes as 64 hex digits.
std::string generate_secret();

}  // namespace turnd::db

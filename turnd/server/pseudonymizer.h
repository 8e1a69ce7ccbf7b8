// Pseudonymizer: turns a client address and a user name into what the session
// logs may store (issue 3, GDPR): the address's network prefix (/24 IPv4, /48
// IPv6) and/or a keyed hash of it, and a keyed hash of the user name — never
// the clear value.
//
// The hash key is random and lives for one period (the log retention): a
// hash links sessions within a period, and once the key is replaced nobody,
// not even the admin, can recompute the hashes of older rows. The key is kept
// in STATE_DIR/pseudonym.key (mode 0600, "PERIOD_START HEXKEY") so a restart
// within the period keeps it; without a usable state directory it lives in
// memory only and a restart starts a new period. Used by the session-log
// thread only; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "turnd/common/address.h"
#include "turnd/config/config.h"

namespace turnd::server {

class Pseudonymizer {
 public:
  // `key_file` empty: in memory only.
  Pseudonymizer(std::filesystem::path key_file, uint32_t period_seconds,
                config::Config::AddressPseudonym address_mode, bool hash_users,
                char rest_separator);

  // Empty strings for what the admin chose not to store. `now` in Unix seconds
  // selects (and if due, rotates) the key.
  std::string address_prefix(const SocketAddress& client) const;
  std::string address_hash(const SocketAddress& client, int64_t now);
  // A REST-API name ("1700000000:alice") is hashed without its expiry, so one
  // person's credentials of a period share a pseudonym.
  std::string user_hash(std::string_view realm, std::string_view user, int64_t now);
  // A conference participant's display name (session-log-user decides too).
  std::string participant_hash(std::string_view name, int64_t now);

  int64_t period_start() const noexcept { return period_start_; }

 private:
  void ensure_key(int64_t now);
  std::string keyed_hash(std::string_view kind, std::string_view a, std::string_view b);

  std::filesystem::path key_file_;
  uint32_t period_;
  config::Config::AddressPseudonym address_mode_;
  bool hash_users_;
  char rest_separator_;
  int64_t period_start_ = -1;  // -1: no key yet
  std::array<unsigned char, 32> key_{};
};

// "192.0.2.0/24", "2001:db8:1::/48" (an IPv4-mapped IPv6 address as IPv4).
std::string network_prefix(const SocketAddress& address);

}  // namespace turnd::server

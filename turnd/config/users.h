// Long-term credential users (user=NAME:PASSWORD or user=NAME:0x<MD5 key>).
// A password cannot be turned into keys before the realm is known, so
// add_user() parks it in Config::pending_passwords and derive_user_keys()
// (called by finalize) computes MD5 and SHA-256 of "name:realm:password"
// (RFC 8489 §9.2.2) and wipes it.
#pragma once

#include <string_view>

#include "turnd/config/config.h"
#include "turnd/config/values.h"

namespace turnd::config {

void add_user(Config& config, const Field& field);
void derive_user_keys(Config& config, std::string_view where);
// Overwrites and drops every pending password; safe to call at any time.
void wipe_pending_passwords(Config& config) noexcept;

// Wipes the pending passwords of a Config when leaving a scope, also when a
// ConfigError unwinds it.
class PasswordWipe {
 public:
  explicit PasswordWipe(Config& config) : config_(config) {}
  ~PasswordWipe() { wipe_pending_passwords(config_); }
  PasswordWipe(const PasswordWipe&) = delete;
  PasswordWipe& operator=(const PasswordWipe&) = delete;

 private:
  Config& config_;
};

}  // namespace turnd::config

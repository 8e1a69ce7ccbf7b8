// TURN users and REST secrets kept in PostgreSQL (coturn's turnusers_lt and
// turn_secret tables, maintained with turnctl or coturn's turnadmin). Read
// into memory at start and on every reload: the packet path never queries the
// database. Without `database=` the config file's users and secrets are all.
#pragma once

#include <string>
#include <vector>

#include "db/turn_credentials.h"

namespace turnd::server {

struct StoredCredentials {
  std::vector<db::TurnUser> users;
  std::vector<std::string> secrets;
};

// Connects to `url`, applies pending migrations (a role that may not is
// logged and tolerated) and reads the users and secrets of `realm`. Throws
// db::Error (std::runtime_error) when it cannot connect or read.
StoredCredentials load_stored_credentials(const std::string& url, const std::string& realm);

}  // namespace turnd::server

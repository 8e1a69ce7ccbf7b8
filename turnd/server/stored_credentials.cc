#include "turnd/server/stored_credentials.h"

#include "db/database.h"
#include "db/migrations.h"
#include "turnd/common/log.h"

namespace turnd::server {

StoredCredentials load_stored_credentials(const std::string& url, const std::string& realm) {
  db::Database database(url, "turnd", db::kDaemonTimeouts);
  try {
    std::vector<int> applied = db::migrate(database, db::default_migrations_dir());
    for (int version : applied) LOG_INFO("db", "applied migration %03d", version);
  } catch (const std::exception& e) {
    // A least-privilege daemon role (turnd_daemon) may not change the schema:
    // the owner runs `turnctl db migrate`; reading goes on.
    LOG_WARN("db", "migrations not applied: %s", e.what());
  }
  for (const std::string& notice : database.take_notices()) LOG_INFO("db", "%s", notice.c_str());
  StoredCredentials out;
  out.users = db::list_users(database, realm);
  for (db::TurnSecret& secret : db::list_secrets(database, realm)) {
    out.secrets.push_back(std::move(secret.value));
  }
  return out;
}

}  // namespace turnd::server

// Least-privilege roles and change notifications, against a real PostgreSQL
// (the tests connect as the cluster's superuser and switch roles with SET ROLE).
#include "db/errors.h"
#include "db/rooms.h"
#include "db/turn_credentials.h"
#include "db_test_util.h"

namespace turnd::db::testing {
namespace {

class RolesTest : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    migrate_all();
    sql("SELECT turnd_ensure_log_partitions(current_date - 1, current_date + 1)");
  }

  // Whether `statement` succeeds as `role` (rolled back either way).
  bool allowed(const std::string& role, const std::string& statement) {
    pqxx::work work(db().native().connection);
    work.exec("SET LOCAL ROLE " + role);
    try {
      pqxx::subtransaction attempt(work, "attempt");
      attempt.exec(statement);
      return true;
    } catch (const pqxx::insufficient_privilege&) {
      return false;
    }
  }
};

TEST_F(RolesTest, BothRolesExistAndCannotLogIn) {
  EXPECT_EQ(scalar<int>("SELECT count(*) FROM pg_roles WHERE rolname IN "
                        "('turnd_daemon', 'turnd_report') AND NOT rolcanlogin"),
            2);
}

TEST_F(RolesTest, TheDaemonReadsConfigurationAndWritesLogs) {
  const std::string daemon = "turnd_daemon";
  EXPECT_TRUE(allowed(daemon, "SELECT * FROM rooms"));
  EXPECT_TRUE(allowed(daemon, "SELECT * FROM turnusers_lt"));
  EXPECT_TRUE(allowed(daemon, "SELECT * FROM turn_secret"));
  EXPECT_TRUE(allowed(daemon,
                      "INSERT INTO allocation_log (event_id, started_at, client_transport, "
                      "client_family, relay_family) VALUES (gen_random_uuid(), now(), 'udp', "
                      "'ipv4', 'ipv4') ON CONFLICT DO NOTHING"));
  EXPECT_TRUE(allowed(daemon, "UPDATE allocation_log SET bytes_to_client = 1"));
  EXPECT_TRUE(allowed(daemon,
                      "INSERT INTO participation_log (event_id, joined_at) "
                      "VALUES (gen_random_uuid(), now())"));
  EXPECT_TRUE(
      allowed(daemon, "SELECT turnd_ensure_log_partitions(current_date, current_date + 9)"));
  EXPECT_TRUE(allowed(daemon, "SELECT * FROM turnd_purge_logs(now() - interval '5 days')"));

  EXPECT_FALSE(allowed(daemon, "INSERT INTO rooms (slug) VALUES ('x')"));
  EXPECT_FALSE(allowed(daemon, "UPDATE rooms SET recording_allowed = true"));
  EXPECT_FALSE(allowed(daemon, "DELETE FROM turnusers_lt"));
  EXPECT_FALSE(allowed(daemon, "INSERT INTO turn_secret VALUES ('r', 'v')"));
  EXPECT_FALSE(allowed(daemon, "DELETE FROM allocation_log"));
  EXPECT_FALSE(allowed(daemon, "SELECT * FROM schema_migrations"));
}

TEST_F(RolesTest, TheReportRoleReadsNoTables) {
  for (const char* table : {"rooms", "turnusers_lt", "turn_secret", "allocation_log",
                            "participation_log", "schema_migrations"}) {
    EXPECT_FALSE(allowed("turnd_report", std::string("SELECT * FROM ") + table)) << table;
  }
  EXPECT_FALSE(allowed("turnd_report", "SELECT * FROM turnd_purge_logs(now())"));
}

TEST_F(RolesTest, OtherRolesCannotPurgeThroughTheDefinerFunctions) {
  // Roles are cluster-wide: a name of this test's own.
  std::string role = "t_nobody_" + random_suffix();
  sql("CREATE ROLE " + role + " NOLOGIN");
  EXPECT_FALSE(allowed(role, "SELECT * FROM turnd_purge_logs(now())"));
  EXPECT_FALSE(allowed(role, "SELECT turnd_ensure_log_partitions(current_date, current_date)"));
  sql("DROP ROLE " + role);
}

// Collects NOTIFY turnd_changes payloads.
class ChangeReceiver : public pqxx::notification_receiver {
 public:
  explicit ChangeReceiver(pqxx::connection_base& c) : notification_receiver(c, "turnd_changes") {}
  void operator()(const std::string& payload, int) override { payloads.push_back(payload); }
  std::vector<std::string> payloads;
};

TEST_F(RolesTest, ChangesToRoomsUsersAndSecretsAreNotified) {
  pqxx::connection listener(url());
  ChangeReceiver receiver(listener);
  listener.get_notifs();  // LISTEN is sent before the first wait

  create_room(db(), {"notified", "", std::nullopt, std::nullopt, false});
  put_user(db(), "r", "u", lt_hmackey("u", "r", "p"));
  add_secret(db(), "r", "s");
  for (int i = 0; i < 20 && receiver.payloads.size() < 3; ++i) {
    listener.await_notification(0, 100'000);
  }
  EXPECT_EQ(receiver.payloads, (std::vector<std::string>{"rooms", "turnusers_lt", "turn_secret"}));
}

}  // namespace
}  // namespace turnd::db::testing

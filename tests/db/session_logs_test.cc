// Session logs against a real PostgreSQL: day partitions, retention (rows older
// than the retention are gone after purge, newer ones untouched), idempotent
// event keys and the pseudonymisation constraints.
#include "db/session_logs.h"

#include <set>

#include "db/errors.h"
#include "db_test_util.h"

namespace turnd::db::testing {
namespace {

constexpr uint32_t kFiveDays = 5 * 86400;

class SessionLogsTest : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    migrate_all();
  }

  // Inserts an allocation that started `age` ago (an SQL interval) and returns its event id.
  std::string allocation(const std::string& age) {
    return scalar<std::string>(
        "INSERT INTO allocation_log (event_id, started_at, ended_at, end_reason, realm, "
        "client_prefix, client_hash, user_hash, client_transport, client_family, relay_family, "
        "bytes_from_client, bytes_to_client, packets_from_client, packets_to_client) VALUES "
        "(gen_random_uuid(), now() - interval '" +
        age + "', now() - interval '" + age +
        "' + interval '1 minute', 'client', 'example.org', '192.0.2.0/24', '\\x0102', '\\x0304', "
        "'tcp', 'ipv4', 'ipv4', 1000, 2000, 10, 20) RETURNING event_id");
  }

  std::string participation(const std::string& age) {
    return scalar<std::string>(
        "INSERT INTO participation_log (event_id, joined_at, media_sent) VALUES "
        "(gen_random_uuid(), now() - interval '" +
        age + "', '{audio,video}') RETURNING event_id");
  }

  std::set<std::string> ids(const std::string& table) {
    std::set<std::string> out;
    for (const auto& row : sql("SELECT event_id FROM " + table)) out.insert(row[0].c_str());
    return out;
  }

  int partitions(const std::string& table) {
    return scalar<int>("SELECT count(*) FROM pg_inherits WHERE inhparent = '" + table +
                       "'::regclass");
  }
};

TEST_F(SessionLogsTest, PurgeRemovesEverythingOlderThanTheRetentionAndNothingNewer) {
  sql("SELECT turnd_ensure_log_partitions(current_date - 12, current_date + 1)");
  std::set<std::string> old_allocations = {allocation("11 days"), allocation("9 days"),
                                           allocation("6 days"), allocation("5 days 2 hours")};
  std::set<std::string> new_allocations = {allocation("4 days 22 hours"), allocation("2 days"),
                                           allocation("1 hour"), allocation("1 second")};
  std::set<std::string> old_participations = {participation("10 days"),
                                              participation("5 days 1 hour")};
  std::set<std::string> new_participations = {participation("4 days 23 hours"),
                                              participation("10 minutes")};
  int partitions_before = partitions("allocation_log");

  PurgeResult result = purge_logs(db(), kFiveDays);

  EXPECT_EQ(ids("allocation_log"), new_allocations);
  EXPECT_EQ(ids("participation_log"), new_participations);
  // Whole days before the cutoff's day are dropped, not emptied: both tables
  // lose the same partitions.
  int dropped_per_table = partitions_before - partitions("allocation_log");
  EXPECT_GE(dropped_per_table, 6);
  EXPECT_EQ(partitions("participation_log"), partitions("allocation_log"));
  EXPECT_EQ(result.dropped_partitions, 2 * dropped_per_table);
  // At most the straddling day's rows went one by one.
  EXPECT_LE(result.deleted_rows, 2);
  int64_t now = scalar<int64_t>("SELECT extract(epoch FROM now())::bigint");
  EXPECT_NEAR(static_cast<double>(result.cutoff), static_cast<double>(now - kFiveDays), 5);
  EXPECT_EQ(scalar<int>("SELECT count(*) FROM allocation_log WHERE started_at < now() - "
                        "interval '5 days'"),
            0);

  // Newer rows are untouched, values and all.
  auto row =
      sql("SELECT bytes_from_client, bytes_to_client, packets_from_client, "
          "packets_to_client, client_prefix::text FROM allocation_log "
          "ORDER BY started_at LIMIT 1")[0];
  EXPECT_EQ(row[0].as<int64_t>(), 1000);
  EXPECT_EQ(row[1].as<int64_t>(), 2000);
  EXPECT_EQ(row[2].as<int64_t>(), 10);
  EXPECT_EQ(row[3].as<int64_t>(), 20);
  EXPECT_EQ(row[4].as<std::string>(), "192.0.2.0/24");

  // Nothing left to do the second time.
  PurgeResult again = purge_logs(db(), kFiveDays);
  EXPECT_EQ(again.dropped_partitions, 0);
  EXPECT_EQ(again.deleted_rows, 0);
  EXPECT_EQ(ids("allocation_log"), new_allocations);
}

TEST_F(SessionLogsTest, PurgeBeforeACutoffDeletesRowsOfTheStraddlingDay) {
  sql("SELECT turnd_ensure_log_partitions(current_date - 3, current_date)");
  allocation("2 days 1 hour");
  std::string kept = allocation("1 day 23 hours");
  int64_t cutoff = scalar<int64_t>("SELECT extract(epoch FROM now() - interval '2 days')::bigint");
  PurgeResult r = purge_logs_before(db(), cutoff);
  EXPECT_EQ(ids("allocation_log"), std::set<std::string>{kept});
  EXPECT_EQ(r.cutoff, cutoff);
  EXPECT_GE(r.dropped_partitions, 2);  // day -3 of both tables at least
}

TEST_F(SessionLogsTest, EnsurePartitionsCreatesTheComingDaysOnce) {
  int created = ensure_log_partitions(db(), 1, 7);
  EXPECT_EQ(created, 2 * 9);
  EXPECT_EQ(ensure_log_partitions(db(), 1, 7), 0);
  auto parts = list_log_partitions(db());
  ASSERT_EQ(parts.size(), 18u);
  EXPECT_EQ(parts[0].table, "allocation_log");
  EXPECT_EQ(parts[0].to - parts[0].from, 86400);
  EXPECT_EQ(parts[0].from % 86400, 0);  // UTC midnight
  EXPECT_EQ(parts[1].from, parts[0].to);
  EXPECT_TRUE(parts[0].partition.starts_with("allocation_log_p"));
  EXPECT_EQ(parts[9].table, "participation_log");
}

TEST_F(SessionLogsTest, ARowForADayWithoutPartitionIsRefused) {
  ensure_log_partitions(db(), 0, 0);
  EXPECT_THROW(allocation("30 days"), pqxx::sql_error);
  EXPECT_NO_THROW(allocation("1 second"));
}

TEST_F(SessionLogsTest, ReplayedEventsAreWrittenExactlyOnce) {
  ensure_log_partitions(db(), 1, 1);
  const std::string insert =
      "INSERT INTO allocation_log (event_id, started_at, client_transport, client_family, "
      "relay_family) VALUES ('6f1c2d3e-0000-4000-8000-000000000001', "
      "current_date + time '08:00', "
      "'udp', 'ipv6', 'ipv4') ON CONFLICT (event_id, started_at) DO NOTHING";
  sql(insert);
  sql(insert);
  sql(insert);
  EXPECT_EQ(scalar<int>("SELECT count(*) FROM allocation_log"), 1);
}

TEST_F(SessionLogsTest, ClientAddressesCannotBeStoredInClear) {
  ensure_log_partitions(db(), 0, 0);
  auto insert = [&](const std::string& prefix) {
    sql("INSERT INTO allocation_log (event_id, started_at, client_prefix, client_transport, "
        "client_family, relay_family) VALUES (gen_random_uuid(), now(), '" +
        prefix + "', 'udp', 'ipv4', 'ipv4')");
  };
  EXPECT_NO_THROW(insert("192.0.2.0/24"));
  EXPECT_NO_THROW(insert("2001:db8:1::/48"));
  EXPECT_NO_THROW(insert("10.0.0.0/8"));
  EXPECT_THROW(insert("192.0.2.7/32"), pqxx::check_violation);
  EXPECT_THROW(insert("192.0.2.128/25"), pqxx::check_violation);
  EXPECT_THROW(insert("2001:db8:1:2::/64"), pqxx::check_violation);
  EXPECT_THROW(insert("2001:db8::1/128"), pqxx::check_violation);
  // cidr refuses host bits outright.
  EXPECT_THROW(insert("192.0.2.7/24"), pqxx::data_exception);
  // No column in either table could hold an address or a name in clear.
  EXPECT_EQ(scalar<int>("SELECT count(*) FROM information_schema.columns WHERE table_name IN "
                        "('allocation_log', 'participation_log') AND (data_type = 'inet' OR "
                        "column_name ~ '(^|_)(ip|address|user|user_name|username|name)$')"),
            0);
}

TEST_F(SessionLogsTest, AnEndedSessionNeedsAReasonAndAKnownTransport) {
  ensure_log_partitions(db(), 0, 0);
  EXPECT_THROW(sql("INSERT INTO allocation_log (event_id, started_at, ended_at, client_transport, "
                   "client_family, relay_family) VALUES (gen_random_uuid(), now(), now(), 'udp', "
                   "'ipv4', 'ipv4')"),
               pqxx::check_violation);
  EXPECT_THROW(sql("INSERT INTO allocation_log (event_id, started_at, client_transport, "
                   "client_family, relay_family) VALUES (gen_random_uuid(), now(), 'sctp', "
                   "'ipv4', 'ipv4')"),
               pqxx::check_violation);
}

}  // namespace
}  // namespace turnd::db::testing

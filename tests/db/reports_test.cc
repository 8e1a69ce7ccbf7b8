// The usage report views (migration 006) and the report files (db/reports/)
// against a real PostgreSQL, with numbers worked out by hand from the rows
// below, and what the report role may read.
#include "db/reports.h"

#include <map>

#include "db/errors.h"
#include "db/report_files.h"
#include "db_test_util.h"

namespace turnd::db::testing {
namespace {

// Two UTC days, 2025-03-10 (D1) and 2025-03-11 (D2); rooms alpha, beta and
// gamma (deleted after its session, so its row has room_id NULL).
//
//   alpha D1 09:00-10:00, 09:50-10:30 (10 min together), 10:30-10:45 (joins as
//            the second leaves: no overlap), 14:00-14:20 (a second conference)
//   beta  D1 23:30-D2 00:45 (30 min on D1, 45 on D2), D1 23:40-23:50,
//            D2 00:10-00:20, D2 00:30-00:40
//   alpha D2 12:00-13:00, 12:15-12:45, 12:30-12:40 (three at once)
//   gamma D2 08:00-08:05
//
// Allocations (bytes from client / to client):
//   D1 09:05 udp 1000000/3000000   09:10 tcp 200000/800000   09:20 tls 100000/0
//      09:30 udp 2000/1000 (ICE checks only: under 64 KiB, not used)
//      14:05 tls 500000/500000
//   D2 00:05 tcp, still open, nothing relayed
constexpr const char* kSeed = R"sql(
SELECT turnd_ensure_log_partitions('2025-03-10', '2025-03-11');
INSERT INTO rooms (slug) VALUES ('alpha'), ('beta'), ('gamma');
INSERT INTO participation_log (event_id, joined_at, left_at, end_reason, room_id)
SELECT gen_random_uuid(), j::timestamptz, l::timestamptz, 'left',
       (SELECT id FROM rooms WHERE slug = room)
  FROM (VALUES
    ('alpha', '2025-03-10 09:00Z', '2025-03-10 10:00Z'),
    ('alpha', '2025-03-10 09:50Z', '2025-03-10 10:30Z'),
    ('alpha', '2025-03-10 10:30Z', '2025-03-10 10:45Z'),
    ('alpha', '2025-03-10 14:00Z', '2025-03-10 14:20Z'),
    ('beta', '2025-03-10 23:30Z', '2025-03-11 00:45Z'),
    ('beta', '2025-03-10 23:40Z', '2025-03-10 23:50Z'),
    ('beta', '2025-03-11 00:10Z', '2025-03-11 00:20Z'),
    ('beta', '2025-03-11 00:30Z', '2025-03-11 00:40Z'),
    ('alpha', '2025-03-11 12:00Z', '2025-03-11 13:00Z'),
    ('alpha', '2025-03-11 12:15Z', '2025-03-11 12:45Z'),
    ('alpha', '2025-03-11 12:30Z', '2025-03-11 12:40Z'),
    ('gamma', '2025-03-11 08:00Z', '2025-03-11 08:05Z')) AS p (room, j, l);
DELETE FROM rooms WHERE slug = 'gamma';
INSERT INTO allocation_log (event_id, started_at, ended_at, end_reason, client_transport,
                            client_family, relay_family, bytes_from_client, bytes_to_client)
VALUES
  (gen_random_uuid(), '2025-03-10 09:05Z', '2025-03-10 10:00Z', 'client', 'udp', 'ipv4', 'ipv4',
   1000000, 3000000),
  (gen_random_uuid(), '2025-03-10 09:10Z', '2025-03-10 10:00Z', 'client', 'tcp', 'ipv4', 'ipv4',
   200000, 800000),
  (gen_random_uuid(), '2025-03-10 09:20Z', '2025-03-10 10:00Z', 'client', 'tls', 'ipv6', 'ipv4',
   100000, 0),
  (gen_random_uuid(), '2025-03-10 09:30Z', '2025-03-10 10:00Z', 'expired', 'udp', 'ipv4', 'ipv4',
   2000, 1000),
  (gen_random_uuid(), '2025-03-10 14:05Z', '2025-03-10 15:00Z', 'client', 'tls', 'ipv4', 'ipv4',
   500000, 500000),
  (gen_random_uuid(), '2025-03-11 00:05Z', NULL, NULL, 'tcp', 'ipv4', 'ipv4', 0, 0);
)sql";

using Rows = std::vector<std::vector<std::string>>;

class ReportsTest : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    migrate_all();
  }

  void seed() { sql(kSeed); }

  // Every row of `query` as text, NULL as "NULL".
  Rows rows(const std::string& query) {
    Rows out;
    for (const auto& row : sql(query)) {
      std::vector<std::string> values;
      for (const auto& field : row) values.push_back(field.is_null() ? "NULL" : field.c_str());
      out.push_back(std::move(values));
    }
    return out;
  }

  // A report file of the source tree, run over D1..D2, as rows of text.
  Rows report(const std::string& name, const std::string& from = "2025-03-10",
              const std::string& to = "2025-03-11") {
    Report r = load_report(source_dir() / "db" / "reports", name);
    ReportTable table = run_report(db(), r, from, to);
    Rows out;
    for (const auto& row : table.rows) {
      std::vector<std::string> values;
      for (const auto& value : row) values.push_back(value.value_or("NULL"));
      out.push_back(std::move(values));
    }
    return out;
  }
};

TEST_F(ReportsTest, ConferencesArePeriodsWithSomeoneInTheRoom) {
  seed();
  EXPECT_EQ(rows("SELECT day, room, started_at, ended_at, minutes, participations, "
                 "participant_minutes, peak_participants FROM report_conferences "
                 "ORDER BY started_at"),
            (Rows{
                // 09:00-10:45: three sessions chained (10:30 join = 10:30 leave), 60+40+15.
                {"2025-03-10", "alpha", "2025-03-10 09:00:00", "2025-03-10 10:45:00", "105.0", "3",
                 "115.0", "2"},
                {"2025-03-10", "alpha", "2025-03-10 14:00:00", "2025-03-10 14:20:00", "20.0", "1",
                 "20.0", "1"},
                // Across midnight: counted on the day it began, 75+10+10+10.
                {"2025-03-10", "beta", "2025-03-10 23:30:00", "2025-03-11 00:45:00", "75.0", "4",
                 "105.0", "2"},
                {"2025-03-11", "NULL", "2025-03-11 08:00:00", "2025-03-11 08:05:00", "5.0", "1",
                 "5.0", "1"},
                {"2025-03-11", "alpha", "2025-03-11 12:00:00", "2025-03-11 13:00:00", "60.0", "3",
                 "100.0", "3"},
            }));
}

TEST_F(ReportsTest, DailyRoomsSplitASessionAcrossMidnight) {
  seed();
  EXPECT_EQ(rows("SELECT day, room, conferences, participations, participant_minutes, "
                 "peak_participants FROM report_daily_rooms ORDER BY day, room NULLS LAST"),
            (Rows{
                {"2025-03-10", "alpha", "2", "4", "135.0", "2"},  // 60+40+15+20
                {"2025-03-10", "beta", "1", "2", "40.0", "2"},    // 30 before midnight + 10
                {"2025-03-11", "alpha", "1", "3", "100.0", "3"},  // 60+30+10
                // No conference began and nobody joined at midnight, yet 45+10+10
                // minutes and two at once (the carried-over session and each newcomer).
                {"2025-03-11", "beta", "0", "2", "65.0", "2"},
                {"2025-03-11", "NULL", "1", "1", "5.0", "1"},  // the deleted room
            }));
}

TEST_F(ReportsTest, DailyConferencesSumTheRooms) {
  seed();
  EXPECT_EQ(rows("SELECT * FROM report_daily_conferences ORDER BY day"),
            (Rows{
                {"2025-03-10", "3", "2", "6", "175.0", "2"},
                {"2025-03-11", "2", "3", "6", "170.0", "3"},
            }));
  // Every minute of every session, once: 345 in all.
  EXPECT_EQ(scalar<std::string>("SELECT sum(participant_minutes) FROM report_daily_conferences"),
            "345.0");
}

TEST_F(ReportsTest, HourlyUsageSplitsSessionsByHour) {
  seed();
  EXPECT_EQ(rows("SELECT * FROM report_hourly_usage ORDER BY day, hour"),
            (Rows{
                {"2025-03-10", "9", "2", "70.0", "2", "4"},   // 60 + 10 of 09:50-10:30
                {"2025-03-10", "10", "1", "45.0", "1", "0"},  // 30 + 15, never two at once
                {"2025-03-10", "14", "1", "20.0", "1", "1"},
                {"2025-03-10", "23", "2", "40.0", "2", "0"},
                {"2025-03-11", "0", "2", "65.0", "2", "1"},
                {"2025-03-11", "8", "1", "5.0", "1", "0"},
                {"2025-03-11", "12", "3", "100.0", "3", "0"},
            }));
}

TEST_F(ReportsTest, BusiestHoursRankTheHoursOfTheDay) {
  seed();
  // hour, days_used, participations, participant_minutes, peak, allocations
  EXPECT_EQ(report("busiest_hours"), (Rows{
                                         {"12", "1", "3", "100.0", "3", "0"},
                                         {"9", "1", "2", "70.0", "2", "4"},
                                         {"0", "1", "2", "65.0", "2", "1"},
                                         {"10", "1", "1", "45.0", "1", "0"},
                                         {"23", "1", "2", "40.0", "2", "0"},
                                         {"14", "1", "1", "20.0", "1", "1"},
                                         {"8", "1", "1", "5.0", "1", "0"},
                                     }));
}

TEST_F(ReportsTest, TopRoomsOverAPeriod) {
  seed();
  // room, days_used, conferences, participations, participant_minutes, peak
  EXPECT_EQ(report("top_rooms"), (Rows{
                                     {"alpha", "2", "3", "7", "235.0", "3"},
                                     {"beta", "2", "1", "4", "105.0", "2"},
                                     {"NULL", "1", "1", "1", "5.0", "1"},
                                 }));
  EXPECT_EQ(report("top_rooms", "2025-03-11", "2025-03-11"),
            (Rows{
                {"alpha", "1", "1", "3", "100.0", "3"},
                {"beta", "1", "0", "2", "65.0", "2"},
                {"NULL", "1", "1", "1", "5.0", "1"},
            }));
}

TEST_F(ReportsTest, TransportUsageCountsAllocationsSharesAndBytes) {
  seed();
  EXPECT_EQ(rows("SELECT * FROM report_transport_usage ORDER BY day, transport"),
            (Rows{
                {"2025-03-10", "tcp", "1", "1", "25.0", "200000", "800000"},
                {"2025-03-10", "tls", "2", "2", "50.0", "600000", "500000"},
                // The 3 kB allocation is counted but not used: 1 of the 4 used ones.
                {"2025-03-10", "udp", "2", "1", "25.0", "1002000", "3001000"},
                {"2025-03-11", "tcp", "1", "0", "NULL", "0", "0"},
            }));
  // transport, allocations, used, share of used, bytes from, bytes to
  EXPECT_EQ(report("transport_usage"), (Rows{
                                           {"udp", "2", "1", "25.0", "1002000", "3001000"},
                                           {"tcp", "2", "1", "25.0", "200000", "800000"},
                                           {"tls", "2", "2", "50.0", "600000", "500000"},
                                       }));
}

TEST_F(ReportsTest, DailyAllocationsGiveTheShareThatNeededTcpOrTls) {
  seed();
  // day, allocations, tcp_tls_allocations, used, used_tcp_tls, share, relayed bytes
  EXPECT_EQ(report("daily_allocations"), (Rows{
                                             {"2025-03-10", "5", "3", "4", "3", "75.0", "6103000"},
                                             {"2025-03-11", "1", "1", "0", "0", "NULL", "0"},
                                         }));
}

TEST_F(ReportsTest, TheRangeIsInclusiveAndDefaultsToTheLast30Days) {
  seed();
  EXPECT_EQ(report("daily_conferences", "2025-03-11", "2025-03-11").size(), 1u);
  EXPECT_EQ(report("daily_conferences", "2025-03-10", "").size(), 2u);  // to: today
  EXPECT_TRUE(report("daily_conferences", "2025-03-12", "2025-03-31").empty());
  // Without dates: nothing from 2025, but a session of 40 days ago is out and
  // one of 29 days ago (within today - 29 .. today) is in.
  EXPECT_TRUE(report("daily_conferences", "", "").empty());
  sql("SET TIME ZONE 'UTC'");  // for current_date and date_trunc below
  sql("SELECT turnd_ensure_log_partitions(current_date - 41, current_date)");
  sql("INSERT INTO participation_log (event_id, joined_at, left_at, end_reason) VALUES "
      "(gen_random_uuid(), date_trunc('day', now()) - interval '40 days' + interval '12 hours', "
      " date_trunc('day', now()) - interval '40 days' + interval '13 hours', 'left'), "
      "(gen_random_uuid(), date_trunc('day', now()) - interval '29 days' + interval '12 hours', "
      " date_trunc('day', now()) - interval '29 days' + interval '12 hours 30 minutes', 'left')");
  Rows recent = report("daily_conferences", "", "");
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0][4], "30.0");
}

TEST_F(ReportsTest, OpenSessionsCountUpToNow) {
  sql("SELECT turnd_ensure_log_partitions(current_date - 1, current_date)");
  sql("INSERT INTO participation_log (event_id, joined_at) VALUES "
      "(gen_random_uuid(), now() - interval '10 minutes')");
  auto row = sql("SELECT ended_at IS NULL, participant_minutes FROM report_conferences")[0];
  EXPECT_TRUE(row[0].as<bool>());
  EXPECT_NEAR(row[1].as<double>(), 10.0, 0.2);
  // Split over today and maybe yesterday, but 10 minutes in all.
  EXPECT_NEAR(scalar<double>("SELECT sum(participant_minutes) FROM report_daily_rooms"), 10.0, 0.2);
  EXPECT_NEAR(scalar<double>("SELECT sum(participant_minutes) FROM report_hourly_usage"), 10.0,
              0.2);
}

TEST_F(ReportsTest, ColumnsCarryTheirKind) {
  seed();
  ReportTable t =
      run_report(db(), load_report(source_dir() / "db" / "reports", "daily_conferences"),
                 "2025-03-10", "2025-03-10");
  ASSERT_EQ(t.columns.size(), 6u);
  EXPECT_EQ(t.columns[0].name, "day");
  EXPECT_EQ(t.columns[0].kind, ValueKind::kText);
  EXPECT_EQ(t.columns[4].name, "participant_minutes");
  EXPECT_EQ(t.columns[4].kind, ValueKind::kNumber);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][0], "2025-03-10");
}

TEST_F(ReportsTest, EveryReportFileRuns) {
  seed();
  auto reports = load_reports(source_dir() / "db" / "reports");
  EXPECT_GE(reports.size(), 7u);
  for (const Report& r : reports) {
    ReportTable t = run_report(db(), r, "2025-03-10", "2025-03-11");
    EXPECT_FALSE(t.rows.empty()) << r.name;
  }
}

TEST_F(ReportsTest, AReportCannotWrite) {
  Report writes{"writes", "x", "INSERT INTO rooms (slug) VALUES ($1 || $2)"};
  EXPECT_THROW(run_report(db(), writes, "a", "b"), Error);
  EXPECT_EQ(scalar<int>("SELECT count(*) FROM rooms"), 0);
}

// The login role of a manager who was granted turnd_report (roles are
// cluster-wide: a name of this test's own, dropped afterwards).
class ReportRoleTest : public ReportsTest {
 protected:
  void SetUp() override {
    ReportsTest::SetUp();
    seed();
    role_ = "t_manager_" + random_suffix();
    sql("CREATE ROLE " + role_ + " LOGIN");
    sql("GRANT turnd_report TO " + role_);
    manager_.emplace(with_user(url(), role_), "db_tests");
  }
  void TearDown() override {
    manager_.reset();
    if (!role_.empty()) admin_exec("DROP ROLE IF EXISTS " + role_);
    ReportsTest::TearDown();
  }

  // Whether `statement` runs as the manager.
  bool allowed(const std::string& statement) {
    pqxx::work work(manager_->native().connection);
    try {
      work.exec(statement);
      return true;
    } catch (const pqxx::insufficient_privilege&) {
      return false;
    }
  }

  std::string role_;
  std::optional<Database> manager_;
};

TEST_F(ReportRoleTest, ReadsEveryReportViewAndNoTable) {
  auto views = rows(
      "SELECT viewname FROM pg_views WHERE schemaname = current_schema() "
      "AND viewname LIKE 'report\\_%' ORDER BY 1");
  ASSERT_GE(views.size(), 6u);
  for (const auto& view : views) EXPECT_TRUE(allowed("SELECT * FROM " + view[0])) << view[0];
  for (const char* table :
       {"allocation_log", "participation_log", "rooms", "allocation_log_p20250310", "turnusers_lt",
        "turn_secret", "schema_migrations"}) {
    EXPECT_FALSE(allowed(std::string("SELECT * FROM ") + table)) << table;
  }
  EXPECT_FALSE(allowed("SELECT participant_code_hash FROM rooms"));
  EXPECT_FALSE(allowed("SELECT slug FROM rooms"));
}

TEST_F(ReportRoleTest, RunsEveryReportFile) {
  for (const Report& r : load_reports(source_dir() / "db" / "reports")) {
    ReportTable t = run_report(*manager_, r, "2025-03-10", "2025-03-11");
    EXPECT_FALSE(t.rows.empty()) << r.name;
  }
}

TEST_F(ReportRoleTest, AnyOtherRoleReadsNoView) {
  std::string other = "t_other_" + random_suffix();
  sql("CREATE ROLE " + other + " LOGIN");
  {
    Database stranger(with_user(url(), other), "db_tests");
    Report r = load_report(source_dir() / "db" / "reports", "daily_conferences");
    EXPECT_THROW(run_report(stranger, r, "", ""), Error);
  }
  admin_exec("DROP ROLE " + other);
}

}  // namespace
}  // namespace turnd::db::testing

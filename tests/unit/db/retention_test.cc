// log-retention and database= in the configuration, and the duration syntax
// turnctl shares with them (db purge --retention, room create --expires).
#include <gtest/gtest.h>

#include "turnd/config/config.h"
#include "turnd/config/duration.h"

namespace turnd::config {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_text(text, "t.conf");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Duration, ParsesEachUnit) {
  EXPECT_EQ(parse_duration("45s"), 45u);
  EXPECT_EQ(parse_duration("90m"), 5400u);
  EXPECT_EQ(parse_duration("36h"), 129600u);
  EXPECT_EQ(parse_duration("5d"), 432000u);
  EXPECT_EQ(parse_duration("0s"), 0u);
  EXPECT_EQ(parse_duration("49710d"), 49710u * 86400);  // the largest whole-day value
}

TEST(Duration, RefusesEverythingElse) {
  for (const char* bad : {"", "5", "d", "5 d", " 5d", "5d ", "-5d", "+5d", "5D", "5w", "1.5d",
                          "5dd", "0x10s", "49711d", "4294967296s", "99999999999999999999d"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

TEST(Duration, FormatsTheLargestExactUnit) {
  EXPECT_EQ(format_duration(432000), "5d");
  EXPECT_EQ(format_duration(129600), "36h");
  EXPECT_EQ(format_duration(5400), "90m");
  EXPECT_EQ(format_duration(61), "61s");
  EXPECT_EQ(format_duration(0), "0s");
  for (uint32_t s : {1u, 59u, 60u, 3600u, 86400u, 90061u}) {
    EXPECT_EQ(parse_duration(format_duration(s)), s);
  }
}

TEST(LogRetention, DefaultsToFiveDays) {
  Config c = parse_text("", "t.conf");
  EXPECT_EQ(c.log_retention_seconds, 5u * 86400);
  EXPECT_TRUE(c.database.empty());
}

TEST(LogRetention, AcceptsEveryUnit) {
  EXPECT_EQ(parse_text("log-retention=36h\n", "t").log_retention_seconds, 129600u);
  EXPECT_EQ(parse_text("log-retention=30d\n", "t").log_retention_seconds, 30u * 86400);
  EXPECT_EQ(parse_text("log-retention=90m\n", "t").log_retention_seconds, 5400u);
  EXPECT_EQ(parse_text("log-retention=600s\n", "t").log_retention_seconds, 600u);
}

TEST(LogRetention, ErrorsNameTheLineAndTheSyntax) {
  EXPECT_EQ(error_of("\nlog-retention=5\n"),
            "t.conf:2: log-retention: '5' is not a duration: a number and s, m, h or d (5d)");
  EXPECT_EQ(error_of("log-retention=0d\n"), "t.conf:1: log-retention: must be greater than 0");
  EXPECT_EQ(error_of("log-retention=\n"), "t.conf:1: log-retention: missing value");
  EXPECT_EQ(error_of("log-retention=1w\n"),
            "t.conf:1: log-retention: '1w' is not a duration: a number and s, m, h or d (5d)");
}

TEST(DatabaseKey, TakesAUrlOrAConnectionString) {
  EXPECT_EQ(parse_text("database=postgresql://turnd@db.example.org/turnd\n", "t").database,
            "postgresql://turnd@db.example.org/turnd");
  EXPECT_EQ(parse_text("database=postgres:///turnd?host=/run/postgresql\n", "t").database,
            "postgres:///turnd?host=/run/postgresql");
  EXPECT_EQ(parse_text("database=host=/run/postgresql dbname=turnd\n", "t").database,
            "host=/run/postgresql dbname=turnd");
  EXPECT_EQ(error_of("database=turnd\n"),
            "t.conf:1: database: expected a postgresql:// URL or a libpq connection string "
            "(host=... dbname=...)");
}

}  // namespace
}  // namespace turnd::config

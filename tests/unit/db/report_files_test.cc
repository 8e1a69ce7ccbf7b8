// Reading the usage report files (db/reports/*.sql) without a database: the
// description line, the psql meta-commands turnctl drops, the parameters.
#include "db/report_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "db/errors.h"

namespace turnd::db {
namespace {

constexpr const char* kFile =
    "-- Per day: the things  \n"
    "--\n"
    "-- psql -v from=2026-11-01 -f x.sql\n"
    "\\if :{?from}\n"
    "\\else\n"
    "  \\set from ''\n"
    "\\endif\n"
    "SELECT * FROM report_x\n"
    " WHERE day BETWEEN coalesce(nullif(:'from', '')::date, current_date)\n"
    "               AND coalesce(nullif(:'to', '')::date, current_date)\n"
    " ORDER BY day;\n\n";

std::string error_of(std::string_view text) {
  try {
    parse_report("x", text);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(ReportFiles, ParsesDescriptionAndQuery) {
  Report r = parse_report("x", kFile);
  EXPECT_EQ(r.name, "x");
  EXPECT_EQ(r.description, "Per day: the things");
  EXPECT_EQ(r.query,
            "-- Per day: the things  \n"
            "--\n"
            "-- psql -v from=2026-11-01 -f x.sql\n"
            "SELECT * FROM report_x\n"
            " WHERE day BETWEEN coalesce(nullif($1, '')::date, current_date)\n"
            "               AND coalesce(nullif($2, '')::date, current_date)\n"
            " ORDER BY day");
}

TEST(ReportFiles, RefusesWhatTurnctlCannotRunAsPsqlWould) {
  EXPECT_EQ(error_of("SELECT :'from', :'to'"),
            "report x.sql: the first line must be a \"-- description\" comment");
  EXPECT_EQ(error_of("--   \nSELECT :'from', :'to'"),
            "report x.sql: the first line must be a \"-- description\" comment");
  EXPECT_EQ(error_of("-- d\nSELECT :'from'"),
            "report x.sql: the query must use both :'from' and :'to'");
  EXPECT_EQ(error_of("-- d\nSELECT :'from', :'to', :'limit'"),
            "report x.sql: uses a psql variable other than :'from' and :'to'");
  EXPECT_EQ(error_of("-- d\nSELECT :'from', :'to', :\"col\""),
            "report x.sql: uses a psql variable other than :'from' and :'to'");
  EXPECT_EQ(error_of("-- d\nSELECT :'from', :'to'::date"), "(no error)");
}

TEST(ReportFiles, LoadsADirectoryByNameAndFindsOne) {
  auto dir = std::filesystem::path(::testing::TempDir()) / "turnd_reports_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "zeta.sql") << "-- Z\nSELECT :'from', :'to'\n";
  std::ofstream(dir / "alpha.sql") << "-- A\nSELECT :'from', :'to'\n";
  std::ofstream(dir / "README") << "not a report\n";
  auto reports = load_reports(dir);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].name, "alpha");
  EXPECT_EQ(reports[1].description, "Z");
  EXPECT_EQ(load_report(dir, "zeta").query, "-- Z\nSELECT $1, $2");
  EXPECT_THROW(load_report(dir, "missing"), NotFound);
  EXPECT_THROW(load_report(dir, "README"), NotFound);
  EXPECT_THROW(load_report(dir, "../turnd_reports_test/alpha"), NotFound);
  EXPECT_THROW(load_report(dir, ""), NotFound);
  std::ofstream(dir / "Bad-Name.sql") << "-- B\nSELECT :'from', :'to'\n";
  EXPECT_THROW(load_reports(dir), Error);
  std::filesystem::remove_all(dir);
  EXPECT_THROW(load_reports(dir), Error);
}

TEST(ReportFiles, EveryShippedReportParsesAndReadsAReportView) {
  auto dir = std::filesystem::path(__FILE__).parent_path() / ".." / ".." / ".." / "db" / "reports";
  auto reports = load_reports(dir);
  EXPECT_GE(reports.size(), 7u);
  for (const Report& r : reports) {
    EXPECT_FALSE(r.description.empty()) << r.name;
    EXPECT_NE(r.query.find("FROM report_"), std::string::npos) << r.name;
  }
}

}  // namespace
}  // namespace turnd::db

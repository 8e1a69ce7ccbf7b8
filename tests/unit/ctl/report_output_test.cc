// turnctl report's three output formats, without a database.
#include "turnd/ctl/report_output.h"

#include <gtest/gtest.h>

namespace turnd::ctl {
namespace {

using db::ValueKind;

db::ReportTable sample() {
  db::ReportTable t;
  t.columns = {{"day", ValueKind::kText},
               {"room", ValueKind::kText},
               {"minutes", ValueKind::kNumber},
               {"open", ValueKind::kBoolean}};
  t.rows = {{"2025-03-10", "alpha", "135.0", "f"},
            {"2025-03-11", std::nullopt, "5.0", "t"},
            {"2025-03-12", "a \"quoted\", line\nbreak", "-12", std::nullopt}};
  return t;
}

TEST(ReportOutput, ParsesTheFormatNames) {
  EXPECT_EQ(parse_report_format("table"), ReportFormat::kTable);
  EXPECT_EQ(parse_report_format("csv"), ReportFormat::kCsv);
  EXPECT_EQ(parse_report_format("json"), ReportFormat::kJson);
  for (const char* bad : {"", "CSV", "xml", "tables", "json "}) {
    EXPECT_FALSE(parse_report_format(bad)) << bad;
  }
}

TEST(ReportOutput, TableAlignsNumbersRightAndShowsNullAsADash) {
  db::ReportTable t;
  t.columns = {
      {"room", ValueKind::kText}, {"minutes", ValueKind::kNumber}, {"day", ValueKind::kText}};
  t.rows = {{"alpha", "135.0", "2025-03-10"}, {std::nullopt, "5.0", std::nullopt}};
  EXPECT_EQ(format_report(t, ReportFormat::kTable),
            "ROOM   MINUTES  DAY\n"
            "alpha    135.0  2025-03-10\n"
            "-          5.0  -\n");
}

TEST(ReportOutput, TableCountsCharactersNotBytes) {
  db::ReportTable t;
  t.columns = {{"name", ValueKind::kText}, {"n", ValueKind::kNumber}};
  t.rows = {{"\xc3\xa9t\xc3\xa9", "1"}, {"spring", "22"}};  // "été"
  EXPECT_EQ(format_report(t, ReportFormat::kTable),
            "NAME     N\n"
            "\xc3\xa9t\xc3\xa9      1\n"
            "spring  22\n");
}

TEST(ReportOutput, AnEmptyTableIsItsHeader) {
  db::ReportTable t;
  t.columns = {{"day", ValueKind::kText}, {"n", ValueKind::kNumber}};
  EXPECT_EQ(format_report(t, ReportFormat::kTable), "DAY  N\n");
  EXPECT_EQ(format_report(t, ReportFormat::kCsv), "day,n\n");
  EXPECT_EQ(format_report(t, ReportFormat::kJson), "[]\n");
}

TEST(ReportOutput, CsvQuotesOnlyWhatRfc4180Needs) {
  EXPECT_EQ(format_report(sample(), ReportFormat::kCsv),
            "day,room,minutes,open\n"
            "2025-03-10,alpha,135.0,f\n"
            "2025-03-11,,5.0,t\n"
            "2025-03-12,\"a \"\"quoted\"\", line\nbreak\",-12,\n");
  db::ReportTable cr;
  cr.columns = {{"a,b", ValueKind::kText}};
  cr.rows = {{"x\ry"}, {"plain text"}, {""}};
  EXPECT_EQ(format_report(cr, ReportFormat::kCsv), "\"a,b\"\n\"x\ry\"\nplain text\n\n");
}

TEST(ReportOutput, JsonHasNumbersBooleansNullsAndEscapedStrings) {
  EXPECT_EQ(
      format_report(sample(), ReportFormat::kJson),
      "[\n"
      "  {\"day\": \"2025-03-10\", \"room\": \"alpha\", \"minutes\": 135.0, \"open\": false},\n"
      "  {\"day\": \"2025-03-11\", \"room\": null, \"minutes\": 5.0, \"open\": true},\n"
      "  {\"day\": \"2025-03-12\", \"room\": \"a \\\"quoted\\\", line\\nbreak\", "
      "\"minutes\": -12, \"open\": null}\n"
      "]\n");
}

TEST(ReportOutput, JsonEscapesControlCharactersAndBackslashes) {
  db::ReportTable t;
  t.columns = {{"s", ValueKind::kText}};
  t.rows = {{std::string("tab\there\\\x01\x1f\r", 12)}, {"\xc3\xa9"}};
  EXPECT_EQ(format_report(t, ReportFormat::kJson),
            "[\n"
            "  {\"s\": \"tab\\there\\\\\\u0001\\u001f\\r\"},\n"
            "  {\"s\": \"\xc3\xa9\"}\n"
            "]\n");
}

TEST(ReportOutput, JsonNumbersThatJsonCannotWriteStayStrings) {
  db::ReportTable t;
  t.columns = {{"n", ValueKind::kNumber}};
  t.rows = {{"NaN"}, {"Infinity"}, {"-Infinity"}, {"1e+20"}, {"0.5"}, {"007"}, {"1."}};
  EXPECT_EQ(format_report(t, ReportFormat::kJson),
            "[\n"
            "  {\"n\": \"NaN\"},\n"
            "  {\"n\": \"Infinity\"},\n"
            "  {\"n\": \"-Infinity\"},\n"
            "  {\"n\": 1e+20},\n"
            "  {\"n\": 0.5},\n"
            "  {\"n\": \"007\"},\n"
            "  {\"n\": \"1.\"}\n"
            "]\n");
}

}  // namespace
}  // namespace turnd::ctl

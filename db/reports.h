// Running a usage report (db/report_files.h) and handing back its rows as text,
// for turnctl to print as a table, CSV or JSON. Runs in a read-only
// transaction: a report file can read, never change anything.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"
#include "db/report_files.h"

namespace turnd::db {

enum class ValueKind {
  kText,     // text, dates, timestamps: printed as PostgreSQL does
  kNumber,   // integer, numeric, floating point
  kBoolean,  // "t" or "f"
};

struct ReportColumn {
  std::string name;
  ValueKind kind = ValueKind::kText;
};

using ReportValue = std::optional<std::string>;  // nullopt: NULL

struct ReportTable {
  std::vector<ReportColumn> columns;
  std::vector<std::vector<ReportValue>> rows;  // each as long as columns
};

// Runs `report` for the UTC days `from`..`to` ("YYYY-MM-DD", both included;
// empty: the report's default). Throws Error (ConnectError when the database is
// gone; a role that may not read the views gets the server's "permission
// denied").
ReportTable run_report(Database& db, const Report& report, std::string_view from,
                       std::string_view to);

}  // namespace turnd::db

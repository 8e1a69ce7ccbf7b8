// Usage reports: db/reports/NAME.sql, one query each over the report views of
// migration 006. A file is written for psql (`psql -v from=DATE -v to=DATE -f
// NAME.sql`): its first line is a "-- " comment, the report's one-line
// description; lines starting with a backslash are psql meta-commands (the
// defaults of :from and :to); the rest is one SELECT that uses :'from' and :'to'
// (UTC dates as text, '' for the default range). turnctl runs the same SELECT
// with the meta-commands dropped and :'from', :'to' replaced by the bound
// parameters $1 and $2, so both give the same rows.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace turnd::db {

struct Report {
  std::string name;         // "daily_conferences" for daily_conferences.sql
  std::string description;  // the first line without "--"
  std::string query;        // the SELECT, $1 = from and $2 = to (text; '' = default)
};

// Parses one report file's text. Throws Error naming `name` for a file whose
// first line is not a "--" comment, or whose query does not use both :'from'
// and :'to', or uses any other psql variable.
Report parse_report(std::string name, std::string_view text);

// Every NAME.sql of `dir`, by name. Throws Error for an unreadable directory or
// file, a name that is not [a-z0-9_]+ or a file parse_report() refuses.
std::vector<Report> load_reports(const std::filesystem::path& dir);

// `dir`/NAME.sql. Throws NotFound when there is no such report (or NAME is not
// [a-z0-9_]+), Error when it cannot be read or parsed.
Report load_report(const std::filesystem::path& dir, std::string_view name);

// Where the reports are: PREFIX/share/turnd/reports next to the running binary
// when installed, else db/reports of the source tree it was built from.
std::filesystem::path default_reports_dir();

}  // namespace turnd::db

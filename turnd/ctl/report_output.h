// Printing a usage report's rows (db::ReportTable) for people and for programs:
//
//   table  a header of upper-case column names, then the rows in aligned
//          columns two spaces apart; numbers right-aligned, NULL as "-"
//   csv    RFC 4180: a header line of column names, then one line per row;
//          a field with a comma, a double quote, CR or LF is quoted and its
//          quotes doubled; NULL is an empty field; lines end with LF (the
//          output of `psql --csv`, byte for byte)
//   json   an array of objects, one per row, keys in column order; numbers and
//          booleans as JSON numbers and booleans, NULL as null, the rest as
//          strings
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "db/reports.h"

namespace turnd::ctl {

enum class ReportFormat { kTable, kCsv, kJson };

// "table", "csv" or "json"; nullopt for anything else.
std::optional<ReportFormat> parse_report_format(std::string_view text);

std::string format_report(const db::ReportTable& table, ReportFormat format);

}  // namespace turnd::ctl

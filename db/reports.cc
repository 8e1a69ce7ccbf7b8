#include "db/reports.h"

#include "db/native.h"

namespace turnd::db {
namespace {

// Type OIDs of pg_type (fixed since PostgreSQL 7).
constexpr pqxx::oid kBool = 16;
constexpr pqxx::oid kInt8 = 20;
constexpr pqxx::oid kInt2 = 21;
constexpr pqxx::oid kInt4 = 23;
constexpr pqxx::oid kOid = 26;
constexpr pqxx::oid kFloat4 = 700;
constexpr pqxx::oid kFloat8 = 701;
constexpr pqxx::oid kNumeric = 1700;

ValueKind kind_of(pqxx::oid type) {
  switch (type) {
    case kBool:
      return ValueKind::kBoolean;
    case kInt8:
    case kInt2:
    case kInt4:
    case kOid:
    case kFloat4:
    case kFloat8:
    case kNumeric:
      return ValueKind::kNumber;
    default:
      return ValueKind::kText;
  }
}

ReportTable to_table(const pqxx::result& result) {
  ReportTable table;
  for (pqxx::row_size_type i = 0; i < result.columns(); ++i) {
    table.columns.push_back({result.column_name(i), kind_of(result.column_type(i))});
  }
  table.rows.reserve(result.size());
  for (const pqxx::row& row : result) {
    std::vector<ReportValue> values;
    values.reserve(table.columns.size());
    for (const pqxx::field& field : row) {
      values.push_back(field.is_null() ? ReportValue() : ReportValue(field.c_str()));
    }
    table.rows.push_back(std::move(values));
  }
  return table;
}

}  // namespace

ReportTable run_report(Database& db, const Report& report, std::string_view from,
                       std::string_view to) {
  try {
    pqxx::read_transaction work(db.native().connection);
    pqxx::result result = work.exec_params(report.query, std::string(from), std::string(to));
    work.commit();
    return to_table(result);
  } catch (...) {
    rethrow_as_db_error();
  }
}

}  // namespace turnd::db

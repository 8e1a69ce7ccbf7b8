// turnctl report list | report NAME [--from=DATE] [--to=DATE] [--format=table|csv|json]
#include <ostream>

#include "db/report_files.h"
#include "db/reports.h"
#include "turnd/ctl/commands.h"
#include "turnd/ctl/report_output.h"
#include "turnd/ctl/text.h"

namespace turnd::ctl {
namespace {

// --NAME as "YYYY-MM-DD" (a real UTC day), "" when absent.
std::string date_option(const Context& ctx, const std::string& name) {
  auto text = ctx.args().value(name);
  if (!text) return "";
  bool shape = text->size() == 10 && (*text)[4] == '-' && (*text)[7] == '-';
  if (!shape || !parse_utc(*text)) {
    throw UsageError("--" + name + ": '" + *text + "' is not a date: YYYY-MM-DD (UTC)");
  }
  return *text;
}

ReportFormat format_option(const Context& ctx) {
  std::string text = ctx.args().value("format").value_or("table");
  auto format = parse_report_format(text);
  if (!format) throw UsageError("--format: '" + text + "' is not table, csv or json");
  return *format;
}

}  // namespace

int report_list(Context& ctx) {
  Table table({"NAME", "DESCRIPTION"});
  for (const db::Report& report : db::load_reports(ctx.reports_dir())) {
    table.add({report.name, report.description});
  }
  ctx.out() << table.str();
  return kExitOk;
}

// Checks every option before it reads the report or connects.
int report_run(Context& ctx) {
  std::string from = date_option(ctx, "from");
  std::string to = date_option(ctx, "to");
  if (!from.empty() && !to.empty() && from > to) {
    throw UsageError("--from " + from + " is after --to " + to);
  }
  ReportFormat format = format_option(ctx);
  db::Report report = db::load_report(ctx.reports_dir(), ctx.args().words.at(1));
  db::ReportTable table = db::run_report(ctx.database(), report, from, to);
  ctx.out() << format_report(table, format);
  return kExitOk;
}

}  // namespace turnd::ctl

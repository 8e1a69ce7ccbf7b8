#include "turnd/ctl/report_output.h"

#include <algorithm>
#include <cstdio>

namespace turnd::ctl {
namespace {

// Characters, not bytes, for aligning UTF-8 text.
size_t display_width(std::string_view text) {
  return static_cast<size_t>(std::ranges::count_if(
      text, [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

std::string upper(std::string text) {
  for (char& c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

std::string format_table(const db::ReportTable& table) {
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> header;
  header.reserve(table.columns.size());
  for (const db::ReportColumn& column : table.columns) header.push_back(upper(column.name));
  cells.push_back(std::move(header));
  for (const auto& row : table.rows) {
    std::vector<std::string> line;
    line.reserve(row.size());
    for (const db::ReportValue& value : row) line.push_back(value.value_or("-"));
    cells.push_back(std::move(line));
  }
  std::vector<size_t> widths(table.columns.size(), 0);
  for (const auto& line : cells) {
    for (size_t i = 0; i < line.size(); ++i)
      widths[i] = std::max(widths[i], display_width(line[i]));
  }
  std::string out;
  for (const auto& line : cells) {
    std::string text;
    for (size_t i = 0; i < line.size(); ++i) {
      size_t pad = widths[i] - display_width(line[i]);
      bool right = table.columns[i].kind == db::ValueKind::kNumber;
      if (right) text.append(pad, ' ');
      text += line[i];
      if (i + 1 < line.size()) text.append((right ? 0 : pad) + 2, ' ');
    }
    out += text + "\n";
  }
  return out;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string format_csv(const db::ReportTable& table) {
  std::string out;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    out += (i > 0 ? "," : "") + csv_field(table.columns[i].name);
  }
  out += "\n";
  for (const auto& row : table.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ",";
      if (row[i]) out += csv_field(*row[i]);
    }
    out += "\n";
  }
  return out;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view text) {
  auto digits = [&](size_t at) {
    size_t end = at;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    return end - at;
  };
  size_t at = text.starts_with('-') ? 1 : 0;
  size_t n = digits(at);
  if (n == 0 || (n > 1 && text[at] == '0')) return false;
  at += n;
  if (at < text.size() && text[at] == '.') {
    n = digits(++at);
    if (n == 0) return false;
    at += n;
  }
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
    n = digits(at);
    if (n == 0) return false;
    at += n;
  }
  return at == text.size();
}

std::string json_value(const db::ReportValue& value, db::ValueKind kind) {
  if (!value) return "null";
  if (kind == db::ValueKind::kBoolean && (*value == "t" || *value == "f")) {
    return *value == "t" ? "true" : "false";
  }
  // NaN and Infinity have no JSON number: they stay strings.
  if (kind == db::ValueKind::kNumber && is_json_number(*value)) return *value;
  return json_string(*value);
}

std::string format_json(const db::ReportTable& table) {
  if (table.rows.empty()) return "[]\n";
  std::string out = "[\n";
  for (size_t r = 0; r < table.rows.size(); ++r) {
    out += "  {";
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (i > 0) out += ", ";
      out += json_string(table.columns[i].name) + ": " +
             json_value(table.rows[r][i], table.columns[i].kind);
    }
    out += r + 1 < table.rows.size() ? "},\n" : "}\n";
  }
  return out + "]\n";
}

}  // namespace

std::optional<ReportFormat> parse_report_format(std::string_view text) {
  if (text == "table") return ReportFormat::kTable;
  if (text == "csv") return ReportFormat::kCsv;
  if (text == "json") return ReportFormat::kJson;
  return std::nullopt;
}

std::string format_report(const db::ReportTable& table, ReportFormat format) {
  switch (format) {
    case ReportFormat::kTable:
      return format_table(table);
    case ReportFormat::kCsv:
      return format_csv(table);
    case ReportFormat::kJson:
      return format_json(table);
  }
  return {};
}

}  // namespace turnd::ctl

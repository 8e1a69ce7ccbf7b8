#include "db/report_files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "db/errors.h"

namespace turnd::db {
namespace {

constexpr std::string_view kFrom = ":'from'";
constexpr std::string_view kTo = ":'to'";

bool valid_name(std::string_view name) {
  return !name.empty() && std::ranges::all_of(name, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// Replaces every `from` in `text` by `to`; returns how many.
int replace_all(std::string& text, std::string_view from, std::string_view to) {
  int count = 0;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
    ++count;
  }
  return count;
}

// The file's lines without the psql meta-commands (a backslash first).
std::string without_meta_commands(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!trim(line).starts_with('\\')) {
      out += line;
      out += '\n';
    }
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return out;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path.string() + ": " + std::strerror(errno));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

Report parse_report(std::string name, std::string_view text) {
  std::string file = "report " + name + ".sql: ";
  std::string_view first_line = text.substr(0, text.find('\n'));
  if (!first_line.starts_with("--") || trim(first_line.substr(2)).empty()) {
    throw Error(file + "the first line must be a \"-- description\" comment");
  }
  Report report{std::move(name), std::string(trim(first_line.substr(2))), ""};
  std::string query = without_meta_commands(text);
  int froms = replace_all(query, kFrom, "$1");
  int tos = replace_all(query, kTo, "$2");
  if (froms == 0 || tos == 0) throw Error(file + "the query must use both :'from' and :'to'");
  for (std::string_view variable : {":'", ":\"", ":{"}) {
    if (query.find(variable) != std::string::npos) {
      throw Error(file + "uses a psql variable other than :'from' and :'to'");
    }
  }
  std::string_view body = trim(query);
  if (body.ends_with(';')) body.remove_suffix(1);
  report.query = std::string(trim(body));
  return report;
}

std::vector<Report> load_reports(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) throw Error("cannot read reports directory " + dir.string() + ": " + ec.message());
  std::vector<Report> out;
  for (const auto& entry : it) {
    if (entry.path().extension() != ".sql") continue;
    std::string name = entry.path().stem().string();
    if (!valid_name(name)) {
      throw Error("report file " + entry.path().filename().string() +
                  ": expected NAME.sql (lowercase letters, digits, _)");
    }
    out.push_back(parse_report(name, read_text(entry.path())));
  }
  std::ranges::sort(out, {}, &Report::name);
  return out;
}

Report load_report(const std::filesystem::path& dir, std::string_view name) {
  std::filesystem::path path = dir / (std::string(name) + ".sql");
  std::error_code ec;
  if (!valid_name(name) || !std::filesystem::is_regular_file(path, ec)) {
    throw NotFound("no report '" + std::string(name) + "' in " + dir.string() +
                   " (turnctl report list shows them)");
  }
  return parse_report(std::string(name), read_text(path));
}

std::filesystem::path default_reports_dir() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path() / ".." / "share" / "turnd" / "reports";
    if (std::filesystem::is_directory(installed, ec)) return installed.lexically_normal();
  }
  return (std::filesystem::path(__FILE__).parent_path() / "reports").lexically_normal();
}

}  // namespace turnd::db

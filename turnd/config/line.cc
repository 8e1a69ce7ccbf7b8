#include "turnd/config/line.h"

#include <algorithm>

#include "turnd/config/values.h"

namespace turnd::config {
namespace {

constexpr std::string_view kSpaces = " \t\r";

bool is_space(char c) {
  return kSpaces.find(c) != std::string_view::npos;
}

std::string_view trim(std::string_view text) {
  auto first = text.find_first_not_of(kSpaces);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(kSpaces);
  return text.substr(first, last - first + 1);
}

// Index of a '#' that follows whitespace, at or after `from`; npos if none.
size_t find_comment(std::string_view line, size_t from) {
  for (size_t i = std::max<size_t>(from, 1); i < line.size(); ++i) {
    if (line[i] == '#' && is_space(line[i - 1])) return i;
  }
  return std::string_view::npos;
}

void check_characters(std::string_view line, std::string_view where) {
  for (char c : line) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t' && c != '\r') || byte == 0x7f) {
      fail(where, "control character in line");
    }
  }
}

std::string_view check_key(std::string_view key, std::string_view line, std::string_view where) {
  if (key.empty()) fail(where, "missing key before '='");
  if (std::ranges::any_of(key, [](char c) { return is_space(c) || c == '"'; })) {
    fail(where, "expected key=value or a bare flag, got " + quoted(line));
  }
  return key;
}

std::string_view quoted_value(std::string_view line, size_t open, std::string_view where) {
  auto close = line.find('"', open + 1);
  if (close == std::string_view::npos) fail(where, "unterminated quote");
  auto rest = trim(line.substr(close + 1));
  if (!rest.empty() && rest.front() != '#') fail(where, "unexpected text after closing quote");
  return line.substr(open + 1, close - open - 1);
}

std::string_view value_after(std::string_view line, size_t equals, std::string_view where) {
  auto start = line.find_first_not_of(kSpaces, equals + 1);
  if (start == std::string_view::npos) return {};
  if (line[start] == '"') return quoted_value(line, start, where);
  auto comment = find_comment(line, start);
  return trim(line.substr(start, comment == std::string_view::npos ? comment : comment - start));
}

}  // namespace

std::optional<Entry> split_line(std::string_view line, std::string_view where) {
  check_characters(line, where);
  line = trim(line);
  if (line.empty() || line.front() == '#') return std::nullopt;
  auto equals = line.find('=');
  auto comment = find_comment(line, 0);
  if (equals == std::string_view::npos || comment < equals) {
    auto flag = trim(line.substr(0, comment));
    return Entry{check_key(flag, flag, where), {}};
  }
  auto key = check_key(trim(line.substr(0, equals)), line, where);
  return Entry{key, value_after(line, equals, where)};
}

}  // namespace turnd::config

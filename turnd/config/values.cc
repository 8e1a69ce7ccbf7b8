#include "turnd/config/values.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <initializer_list>
#include <limits>
#include <optional>

namespace turnd::config {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

bool is_one_of(std::string_view value, std::initializer_list<std::string_view> words) {
  return std::ranges::any_of(words,
                             [value](auto word) { return equals_ignoring_case(value, word); });
}

std::optional<uint32_t> to_number(std::string_view text) {
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

void fail(std::string_view where, std::string_view reason) {
  std::string message(where);
  message.append(": ").append(reason);
  throw ConfigError(message);
}

void fail(const Field& field, std::string_view reason) {
  std::string message(field.key);
  message.append(": ").append(reason);
  fail(field.where, message);
}

std::string quoted(std::string_view text) {
  std::string out = "'";
  out.append(text).append("'");
  return out;
}

std::string_view require_value(const Field& field) {
  if (field.value.empty()) fail(field, "missing value");
  return field.value;
}

bool parse_bool(const Field& field) {
  if (field.value.empty() || is_one_of(field.value, {"true", "1", "yes", "on"})) return true;
  if (is_one_of(field.value, {"false", "0", "no", "off"})) return false;
  fail(field, quoted(field.value) + " is not a boolean (true/false, 1/0, yes/no, on/off)");
}

uint32_t parse_number(const Field& field, uint32_t min, uint32_t max) {
  auto value = to_number(require_value(field));
  if (!value || *value < min || *value > max) {
    fail(field, quoted(field.value) + " is not a number (" + std::to_string(min) + "-" +
                    std::to_string(max) + ")");
  }
  return *value;
}

uint16_t parse_port(const Field& field) {
  auto value = to_number(require_value(field));
  if (!value || *value < 1 || *value > std::numeric_limits<uint16_t>::max()) {
    fail(field, quoted(field.value) + " is not a port number (1-65535)");
  }
  return static_cast<uint16_t>(*value);
}

char parse_char(const Field& field) {
  if (require_value(field).size() != 1) {
    fail(field, "expected a single character, got " + quoted(field.value));
  }
  return field.value.front();
}

SocketAddress parse_ip(const Field& field, std::string_view text) {
  auto address = SocketAddress::parse(text);
  if (!address || address->port() != 0 || text.starts_with('[')) {
    fail(field, quoted(text) + " is not an IP address");
  }
  return *address;
}

IpRange parse_ip_range(const Field& field) {
  auto range = IpRange::parse(require_value(field));
  if (!range) {
    fail(field, quoted(field.value) +
                    " is not an IP address or range (ADDRESS, ADDRESS/PREFIX or FIRST-LAST)");
  }
  return *range;
}

ExternalIp parse_external_ip(const Field& field) {
  std::string_view value = require_value(field);
  auto slash = value.find('/');
  ExternalIp out;
  out.public_ip = parse_ip(field, value.substr(0, slash));
  if (slash == std::string_view::npos) return out;
  out.private_ip = parse_ip(field, value.substr(slash + 1));
  if (out.private_ip.family() != out.public_ip.family()) {
    fail(field, quoted(value) + " mixes IPv4 and IPv6");
  }
  return out;
}

}  // namespace turnd::config

// Parsers for the values of configuration keys. Each one either returns the
// parsed value or throws ConfigError "WHERE: KEY: reason", so a key handler is
// a one-liner and every message names the file line and the key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "turnd/common/address.h"
#include "turnd/common/ip_range.h"
#include "turnd/config/config.h"

namespace turnd::config {

// One `key=value` being applied and where it came from ("turnd.conf:12",
// "command line"). `value` is empty for a bare flag.
struct Field {
  std::string_view key;
  std::string_view value;
  std::string_view where;
};

// Throws ConfigError "WHERE: reason".
[[noreturn]] void fail(std::string_view where, std::string_view reason);
// Throws ConfigError "WHERE: KEY: reason".
[[noreturn]] void fail(const Field& field, std::string_view reason);
// "'text'", for quoting user input in messages.
std::string quoted(std::string_view text);

// The value, or "KEY: missing value" when it is empty.
std::string_view require_value(const Field& field);
// Empty (bare flag), true/false, 1/0, yes/no, on/off (any case).
bool parse_bool(const Field& field);
// A decimal number in [min, max]; no sign, no trailing text.
uint32_t parse_number(const Field& field, uint32_t min, uint32_t max);
uint16_t parse_port(const Field& field);  // 1-65535
char parse_char(const Field& field);      // exactly one character
// A bare IPv4 or IPv6 address (no port); `text` is part of field.value.
SocketAddress parse_ip(const Field& field, std::string_view text);
IpRange parse_ip_range(const Field& field);
ExternalIp parse_external_ip(const Field& field);  // PUBLIC or PUBLIC/PRIVATE

}  // namespace turnd::config

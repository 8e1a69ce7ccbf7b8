// Logging with a level and a tag, filtered before any formatting happens.
// Client addresses and user names go through pseudonym() unless the admin
// turned privacy off: a keyed hash that is stable for the process's life, so
// one client's lines can be followed without storing who it was.
#pragma once

#include <cstdarg>
#include <cstdint>
#include <string>
#include <string_view>

#include "turnd/common/address.h"

namespace turnd::log {

enum class Level : uint8_t { kError = 0, kWarning = 1, kInfo = 2, kDebug = 3 };

// Process-wide sink settings, set once at start-up (and on reload) before
// workers run; reading them is lock-free.
void configure(Level level, const std::string& file_path, bool privacy);
bool enabled(Level level) noexcept;
bool privacy() noexcept;

void write(Level level, const char* tag, const char* format, ...) noexcept
    __attribute__((format(printf, 3, 4)));

// "a3f29c0d" style tokens (or the clear text with privacy off).
std::string pseudonym(const SocketAddress& address);
std::string pseudonym(std::string_view user_name);

// Text a client sent (an Origin, a Host, a path) made safe for one log line:
// printable ASCII stays, every other byte (newlines, escapes, UTF-8) and the
// backslash become \xNN, and more than `max` bytes end in "...".
std::string printable(std::string_view client_text, size_t max = 120);

}  // namespace turnd::log

#define TURND_LOG(level, tag, ...)                                                  \
  do {                                                                              \
    if (::turnd::log::enabled(level)) ::turnd::log::write(level, tag, __VA_ARGS__); \
  } while (0)
#define LOG_ERROR(tag, ...) TURND_LOG(::turnd::log::Level::kError, tag, __VA_ARGS__)
#define LOG_WARN(tag, ...) TURND_LOG(::turnd::log::Level::kWarning, tag, __VA_ARGS__)
#define LOG_INFO(tag, ...) TURND_LOG(::turnd::log::Level::kInfo, tag, __VA_ARGS__)
#define LOG_DEBUG(tag, ...) TURND_LOG(::turnd::log::Level::kDebug, tag, __VA_ARGS__)

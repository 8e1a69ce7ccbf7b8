// Database: one open connection to PostgreSQL, owned (RAII). Not thread-safe:
// each thread that talks to the database owns its own. This header does not
// expose libpqxx; the store's own files reach the connection through
// db/native.h.
//
// `url` is anything libpq accepts: "postgresql://user@host:5432/turnd",
// "postgresql:///turnd?host=/run/postgresql" or "host=... dbname=...".
// Passwords belong in ~/.pgpass or PGPASSFILE rather than in the URL.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace turnd::db {

// Nothing waits forever: a connection attempt gives up after `connect`
// (unless the URL names its own connect_timeout), and with `statement` > 0 the
// server cancels any statement running longer (the daemon's threads use
// kDaemonTimeouts; turnctl's reports may run as long as they need).
struct DatabaseTimeouts {
  std::chrono::seconds connect{5};
  std::chrono::milliseconds statement{0};  // 0: none
};
inline constexpr DatabaseTimeouts kDaemonTimeouts{std::chrono::seconds(5),
                                                  std::chrono::seconds(30)};

class Database {
 public:
  using Timeouts = DatabaseTimeouts;

  // Connects and sets application_name and the statement timeout. Throws
  // ConnectError ("cannot connect to database: <reason on one line>").
  explicit Database(const std::string& url, std::string_view application_name = "turnd",
                    Timeouts timeouts = {});
  ~Database();
  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // The server's notices since the last call, one line each ("role turnd_daemon
  // does not exist and ... may not create roles: not created").
  std::vector<std::string> take_notices();

  struct Native;  // defined in db/native.h
  Native& native() noexcept { return *native_; }

 private:
  std::unique_ptr<Native> native_;
};

// libpq's multi-line messages ("ERROR:  x\nDETAIL:  y\n") as one line ("x (y)").
std::string one_line(std::string_view message);

}  // namespace turnd::db

// The libpqxx side of Database, for the store's own files (db/*.cc) and its
// tests. Everything else uses the functions of db/*.h and never sees libpqxx.
#pragma once

// Debian's libpqxx 6.4 was configured without PQXX_HAVE_OPTIONAL, which only
// gates header templates: with it, std::optional<T> works as a statement
// parameter (NULL when empty) and with field::get<T>().
#ifndef PQXX_HAVE_OPTIONAL
#define PQXX_HAVE_OPTIONAL 1
#endif
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "db/database.h"
#include "db/errors.h"

namespace turnd::db {

// Keeps the server's notices (RAISE NOTICE, "already exists, skipping"), which
// libpqxx would otherwise drop, for Database::take_notices().
class NoticeCollector final : public pqxx::errorhandler {
 public:
  explicit NoticeCollector(pqxx::connection_base& connection) : pqxx::errorhandler(connection) {}
  bool operator()(const char message[]) noexcept override {
    try {
      notices.push_back(one_line(message));
    } catch (...) {  // out of memory: the notice is lost, nothing else
    }
    return false;
  }
  std::vector<std::string> notices;
};

struct Database::Native {
  explicit Native(const std::string& url) : connection(url), collector(connection) {}
  pqxx::connection connection;
  NoticeCollector collector;  // after connection: unregisters before it closes
};

// Rethrows the exception in flight as a db::Error: a broken connection becomes
// ConnectError, a refused value or constraint InvalidInput, any other SQL error
// Error; a db::Error passes unchanged. Call only from a catch block.
[[noreturn]] void rethrow_as_db_error();

// Runs body(pqxx::work&) in a transaction, commits it and returns what body
// returned. Every libpqxx error comes out as a db::Error.
template <typename Body>
auto transact(Database& db, Body&& body) {
  try {
    pqxx::work work(db.native().connection);
    if constexpr (std::is_void_v<decltype(body(work))>) {
      std::forward<Body>(body)(work);
      work.commit();
    } else {
      auto result = std::forward<Body>(body)(work);
      work.commit();
      return result;
    }
  } catch (...) {
    rethrow_as_db_error();
  }
}

}  // namespace turnd::db

// Shared fixture for the tests that need a real PostgreSQL: each test gets a
// fresh database of its own in the throwaway cluster that run_with_cluster.sh
// started (URL in TURND_TEST_DATABASE_URL), dropped again afterwards.
#pragma once

#include <gtest/gtest.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "db/database.h"
#include "db/migrations.h"
#include "db/native.h"

namespace turnd::db::testing {

inline std::filesystem::path source_dir() {
  return (std::filesystem::path(__FILE__).parent_path() / ".." / "..").lexically_normal();
}

inline std::filesystem::path migrations_dir() {
  return source_dir() / "db" / "migrations";
}

// The URL with its database name replaced: the path of a postgresql:// URL, or
// a trailing dbname= for a key=value connection string.
inline std::string with_database(const std::string& url, const std::string& name) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url + " dbname=" + name;
  auto slash = url.find('/', scheme + 3);
  auto query = url.find('?', scheme + 3);
  if (slash == std::string::npos || (query != std::string::npos && slash > query)) {
    slash = query == std::string::npos ? url.size() : query;
    return url.substr(0, slash) + "/" + name + url.substr(slash);
  }
  auto end = query == std::string::npos ? url.size() : query;
  return url.substr(0, slash + 1) + name + url.substr(end);
}

// The URL with its user replaced (the user@ part of a postgresql:// URL, or a
// trailing user= for a key=value connection string).
inline std::string with_user(const std::string& url, const std::string& user) {
  auto scheme = url.find("://");
  if (scheme == std::string::npos) return url + " user=" + user;
  auto start = scheme + 3;
  auto at = url.find('@', start);
  auto slash = url.find('/', start);
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
    return url.substr(0, start) + user + url.substr(at);
  }
  return url.substr(0, start) + user + "@" + url.substr(start);
}

inline std::string random_suffix() {
  unsigned char bytes[6];
  RAND_bytes(bytes, sizeof(bytes));
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

class DbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* base = std::getenv("TURND_TEST_DATABASE_URL");
    ASSERT_NE(base, nullptr) << "TURND_TEST_DATABASE_URL is not set: run the tests through "
                                "tests/db/run_with_cluster.sh (ctest does)";
    base_url_ = base;
    name_ = "t_" + random_suffix();
    admin_exec("CREATE DATABASE " + name_);
    url_ = with_database(base_url_, name_);
    db_.emplace(url_, "db_tests");
  }

  void TearDown() override {
    db_.reset();
    if (!name_.empty() && !base_url_.empty()) {
      admin_exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    }
  }

  // Runs `text` on the cluster's turnd_test database, outside any transaction.
  void admin_exec(const std::string& text) {
    pqxx::connection connection(base_url_);
    pqxx::nontransaction(connection).exec(text);
  }

  Database& db() { return *db_; }
  const std::string& url() const { return url_; }
  const std::string& base_url() const { return base_url_; }

  void migrate_all() { migrate(db(), migrations_dir()); }

  // Runs `sql` in its own transaction and returns the result.
  pqxx::result sql(const std::string& text) {
    pqxx::work work(db().native().connection);
    pqxx::result r = work.exec(text);
    work.commit();
    return r;
  }

  // The first column of the first row as T.
  template <typename T>
  T scalar(const std::string& text) {
    return sql(text).at(0).at(0).as<T>();
  }

 private:
  std::string base_url_;
  std::string name_;
  std::string url_;
  std::optional<Database> db_;
};

}  // namespace turnd::db::testing

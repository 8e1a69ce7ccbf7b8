#include "db/database.h"

#include <utility>

#include "db/errors.h"
#include "db/native.h"

namespace turnd::db {

namespace {

// libpq waits for a TCP connection as long as the kernel does.
std::string with_connect_timeout(const std::string& url, std::chrono::seconds timeout) {
  if (url.find("connect_timeout") != std::string::npos) return url;
  std::string value = "connect_timeout=" + std::to_string(timeout.count());
  if (url.find("://") == std::string::npos) return url + (url.empty() ? "" : " ") + value;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + value;
}

}  // namespace

Database::Database(const std::string& url, std::string_view application_name, Timeouts timeouts) {
  try {
    native_ = std::make_unique<Native>(with_connect_timeout(url, timeouts.connect));
  } catch (const pqxx::broken_connection& e) {
    throw ConnectError("cannot connect to database: " + one_line(e.what()));
  } catch (const std::exception& e) {  // e.g. a malformed URL
    throw ConnectError("cannot connect to database: " + one_line(e.what()));
  }
  transact(*this, [&](pqxx::work& work) {
    work.exec1("SELECT set_config('application_name', " +
               work.quote(std::string(application_name)) + ", false)");
    work.exec1("SELECT set_config('statement_timeout', " +
               work.quote(std::to_string(timeouts.statement.count())) + ", false)");
  });
}

std::vector<std::string> Database::take_notices() {
  return std::exchange(native_->collector.notices, {});
}

Database::~Database() = default;
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;

std::string one_line(std::string_view message) {
  std::string out;
  bool detail = false;
  size_t start = 0;
  while (start < message.size()) {
    size_t end = message.find('\n', start);
    if (end == std::string_view::npos) end = message.size();
    std::string_view line = message.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    for (std::string_view prefix :
         {"ERROR:", "FATAL:", "DETAIL:", "HINT:", "NOTICE:", "WARNING:", "INFO:"}) {
      if (line.starts_with(prefix)) {
        line.remove_prefix(prefix.size());
        while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      }
    }
    if (line.empty()) continue;
    if (out.empty()) {
      out = line;
    } else {
      out += detail ? "; " : " (";
      out += line;
      detail = true;
    }
  }
  if (detail) out += ")";
  return out;
}

void rethrow_as_db_error() {
  try {
    throw;
  } catch (const Error&) {
    throw;
  } catch (const pqxx::broken_connection& e) {
    throw ConnectError("lost the connection to the database: " + one_line(e.what()));
  } catch (const pqxx::in_doubt_error& e) {
    throw ConnectError("lost the connection to the database during commit: " + one_line(e.what()));
  } catch (const pqxx::integrity_constraint_violation& e) {
    throw InvalidInput(one_line(e.what()));
  } catch (const pqxx::data_exception& e) {
    throw InvalidInput(one_line(e.what()));
  } catch (const pqxx::sql_error& e) {
    throw Error("database error: " + one_line(e.what()));
  } catch (const pqxx::failure& e) {
    throw Error("database error: " + one_line(e.what()));
  }
}

}  // namespace turnd::db

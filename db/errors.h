// The errors the store reports, all turnd::db::Error: callers (turnctl, the
// daemon's database thread) catch them at one boundary and print what().
// libpqxx's own exceptions are translated here and never leak out of db/.
#pragma once

#include <stdexcept>

namespace turnd::db {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The server cannot be reached or the connection was refused or lost:
// "cannot connect to database: <libpq's reason>".
class ConnectError : public Error {
 public:
  using Error::Error;
};

// A named thing (room, user, secret) does not exist.
class NotFound : public Error {
 public:
  using Error::Error;
};

// Creating something that already exists.
class AlreadyExists : public Error {
 public:
  using Error::Error;
};

// Input the store refuses before or after asking the database (a bad slug, a
// weak code, a value the schema's CHECK constraints reject).
class InvalidInput : public Error {
 public:
  using Error::Error;
};

}  // namespace turnd::db

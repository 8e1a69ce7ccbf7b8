// Schema migrations: db/migrations/NNN_name.sql, applied in version order, each
// once, each in its own transaction, and recorded in schema_migrations(version,
// name, applied_at, checksum). Re-running migrate() applies nothing new. A file
// changed after it was applied (its SHA-256 differs from the recorded checksum)
// and a version recorded in the database but absent from the files are errors:
// migrate() then applies nothing. Concurrent migrators (turnd and turnctl) are
// serialised by an advisory lock.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "db/database.h"

namespace turnd::db {

struct Migration {
  int version = 0;                // NNN
  std::string name;               // "rooms" for 001_rooms.sql
  std::string sql;                // the file's text, run as one multi-statement string
  std::string checksum;           // lowercase hex SHA-256 of sql
  std::string file_name() const;  // "001_rooms.sql"
};

// Reads every *.sql file of `dir`, sorted by version. Throws Error for a file
// name that is not NNN_name.sql (digits, then [a-z0-9_]), two files with one
// version, an unreadable file or a directory without migrations.
std::vector<Migration> load_migrations(const std::filesystem::path& dir);

// Where the migrations are: PREFIX/share/turnd/migrations next to the running
// binary when installed, else db/migrations of the source tree it was built from.
std::filesystem::path default_migrations_dir();

enum class MigrationState {
  kApplied,  // recorded, checksum matches
  kPending,  // not yet applied
  kChanged,  // recorded, but the file's checksum differs
  kUnknown,  // recorded, but no such file: the database is newer than this program
};

struct MigrationStatus {
  int version = 0;
  std::string name;
  MigrationState state = MigrationState::kPending;
  std::optional<int64_t> applied_at;  // Unix seconds, for recorded ones
};

// One entry per version found in the files or the database, by version.
std::vector<MigrationStatus> status(Database& db, std::span<const Migration> migrations);
std::vector<MigrationStatus> status(Database& db, const std::filesystem::path& dir);

// Applies the pending migrations in order; returns the versions applied (empty
// when up to date). Throws Error, naming the file, when one fails (the ones
// before it stay applied) or when status() shows kChanged or kUnknown.
std::vector<int> migrate(Database& db, std::span<const Migration> migrations);
std::vector<int> migrate(Database& db, const std::filesystem::path& dir);

const char* to_string(MigrationState state) noexcept;

}  // namespace turnd::db

#include "db/migrations.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>

#include "db/errors.h"
#include "db/native.h"

namespace turnd::db {
namespace {

// pg_advisory_lock key shared by every turnd migrator ("turnd" in ASCII).
constexpr int64_t kMigrationLock = 0x7475726e64;

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    throw Error("OpenSSL cannot compute SHA-256");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

// "001_rooms.sql" -> {1, "rooms"}; nullopt when the name does not fit.
std::optional<std::pair<int, std::string>> split_file_name(std::string_view file) {
  constexpr std::string_view kSuffix = ".sql";
  if (!file.ends_with(kSuffix)) return std::nullopt;
  file.remove_suffix(kSuffix.size());
  size_t digits = 0;
  while (digits < file.size() && file[digits] >= '0' && file[digits] <= '9') ++digits;
  if (digits < 3 || digits > 9 || digits + 1 >= file.size() || file[digits] != '_') {
    return std::nullopt;
  }
  std::string_view name = file.substr(digits + 1);
  bool name_ok = std::ranges::all_of(
      name, [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
  if (!name_ok) return std::nullopt;
  return std::pair{std::stoi(std::string(file.substr(0, digits))), std::string(name)};
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in.good() && !in.eof()) {
    throw Error("cannot read " + path.string() + ": " + std::strerror(errno));
  }
  return text;
}

struct Recorded {
  std::string name;
  std::string checksum;
  int64_t applied_at = 0;
};

std::map<int, Recorded> read_recorded(pqxx::work& work) {
  std::map<int, Recorded> out;
  if (work.exec1("SELECT to_regclass('schema_migrations') IS NULL")[0].as<bool>()) return out;
  for (const auto& row :
       work.exec("SELECT version, name, checksum, extract(epoch FROM applied_at)::bigint "
                 "FROM schema_migrations ORDER BY version")) {
    out[row[0].as<int>()] = {row[1].as<std::string>(), row[2].as<std::string>(),
                             row[3].as<int64_t>()};
  }
  return out;
}

void create_table_if_missing(pqxx::work& work) {
  if (!work.exec1("SELECT to_regclass('schema_migrations') IS NULL")[0].as<bool>()) return;
  work.exec0(
      "CREATE TABLE schema_migrations ("
      " version integer PRIMARY KEY,"
      " name text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now(),"
      " checksum text NOT NULL)");
}

std::vector<MigrationStatus> merge(std::span<const Migration> migrations,
                                   const std::map<int, Recorded>& recorded) {
  std::map<int, MigrationStatus> by_version;
  for (const Migration& m : migrations) {
    MigrationStatus& s = by_version[m.version];
    s = {m.version, m.name, MigrationState::kPending, std::nullopt};
    if (auto it = recorded.find(m.version); it != recorded.end()) {
      s.state =
          it->second.checksum == m.checksum ? MigrationState::kApplied : MigrationState::kChanged;
      s.applied_at = it->second.applied_at;
    }
  }
  for (const auto& [version, r] : recorded) {
    if (by_version.contains(version)) continue;
    by_version[version] = {version, r.name, MigrationState::kUnknown, r.applied_at};
  }
  std::vector<MigrationStatus> out;
  out.reserve(by_version.size());
  for (auto& [version, s] : by_version) out.push_back(std::move(s));
  return out;
}

std::string label(const MigrationStatus& s) {
  char version[16];
  std::snprintf(version, sizeof(version), "%03d", s.version);
  return std::string(version) + "_" + s.name + ".sql";
}

// Refuses to migrate a database whose history does not match the files.
void check_history(const std::vector<MigrationStatus>& statuses) {
  int newest_applied = 0;
  for (const MigrationStatus& s : statuses) {
    if (s.state == MigrationState::kChanged) {
      throw Error("migration " + label(s) +
                  " was changed after it was applied (checksum differs); restore the file and "
                  "put the change in a new migration");
    }
    if (s.state == MigrationState::kUnknown) {
      throw Error("the database has migration " + label(s) +
                  ", which this program does not have: it is older than the database schema");
    }
    if (s.state == MigrationState::kApplied) newest_applied = std::max(newest_applied, s.version);
  }
  for (const MigrationStatus& s : statuses) {
    if (s.state == MigrationState::kPending && s.version < newest_applied) {
      throw Error("migration " + label(s) + " is older than the newest applied one (" +
                  std::to_string(newest_applied) + "): give it a higher number");
    }
  }
}

// A session-level advisory lock held for the whole migration run.
class MigrationLock {
 public:
  explicit MigrationLock(pqxx::connection& connection) : connection_(connection) {
    pqxx::nontransaction(connection_)
        .exec1("SELECT pg_advisory_lock(" + std::to_string(kMigrationLock) + ")");
  }
  ~MigrationLock() {
    try {
      pqxx::nontransaction(connection_)
          .exec1("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLock) + ")");
    } catch (...) {  // the lock goes with the connection anyway
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  pqxx::connection& connection_;
};

}  // namespace

std::string Migration::file_name() const {
  return label({version, name, MigrationState::kPending, std::nullopt});
}

std::vector<Migration> load_migrations(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) throw Error("cannot read migrations directory " + dir.string() + ": " + ec.message());
  std::map<int, Migration> by_version;
  for (const auto& entry : it) {
    std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    auto parts = split_file_name(file);
    if (!parts) {
      throw Error("migration file " + file +
                  ": expected NNN_name.sql (3+ digits, then lowercase letters, digits, _)");
    }
    auto [version, name] = *parts;
    if (by_version.contains(version)) {
      throw Error("migrations " + by_version[version].file_name() + " and " + file +
                  " have the same version");
    }
    Migration m{version, name, read_text(entry.path()), ""};
    m.checksum = sha256_hex(m.sql);
    by_version.emplace(version, std::move(m));
  }
  if (by_version.empty()) throw Error("no migrations (NNN_name.sql) in " + dir.string());
  std::vector<Migration> out;
  out.reserve(by_version.size());
  for (auto& [version, m] : by_version) out.push_back(std::move(m));
  return out;
}

std::vector<MigrationStatus> status(Database& db, std::span<const Migration> migrations) {
  auto recorded = transact(db, [](pqxx::work& work) { return read_recorded(work); });
  return merge(migrations, recorded);
}

std::vector<MigrationStatus> status(Database& db, const std::filesystem::path& dir) {
  return status(db, load_migrations(dir));
}

std::vector<int> migrate(Database& db, std::span<const Migration> migrations) {
  std::vector<int> applied;
  try {
    MigrationLock lock(db.native().connection);
    auto statuses = transact(db, [&](pqxx::work& work) {
      create_table_if_missing(work);
      return merge(migrations, read_recorded(work));
    });
    check_history(statuses);
    for (const Migration& m : migrations) {
      auto it = std::ranges::find(statuses, m.version, &MigrationStatus::version);
      if (it->state != MigrationState::kPending) continue;
      try {
        transact(db, [&](pqxx::work& work) {
          work.exec(m.sql);
          work.exec_params0(
              "INSERT INTO schema_migrations (version, name, checksum) "
              "VALUES ($1, $2, $3)",
              m.version, m.name, m.checksum);
        });
      } catch (const ConnectError&) {
        throw;
      } catch (const Error& e) {
        throw Error("migration " + m.file_name() + " failed: " + e.what());
      }
      applied.push_back(m.version);
    }
  } catch (...) {
    rethrow_as_db_error();
  }
  return applied;
}

std::vector<int> migrate(Database& db, const std::filesystem::path& dir) {
  return migrate(db, load_migrations(dir));
}

const char* to_string(MigrationState state) noexcept {
  switch (state) {
    case MigrationState::kApplied:
      return "applied";
    case MigrationState::kPending:
      return "pending";
    case MigrationState::kChanged:
      return "CHANGED";
    case MigrationState::kUnknown:
      return "unknown";
  }
  return "?";
}

std::filesystem::path default_migrations_dir() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto installed = exe.parent_path() / ".." / "share" / "turnd" / "migrations";
    if (std::filesystem::is_directory(installed, ec)) return installed.lexically_normal();
  }
  return (std::filesystem::path(__FILE__).parent_path() / "migrations").lexically_normal();
}

}  // namespace turnd::db

// Schema migrations against a real PostgreSQL: applied once, recorded, re-run
// harmless, history checked, failures rolled back, concurrent runs serialised.
#include <fstream>
#include <thread>

#include "db/errors.h"
#include "db_test_util.h"

namespace turnd::db::testing {
namespace {

class MigrationsTest : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    dir_ = std::filesystem::temp_directory_path() / ("turnd-migrations-" + random_suffix());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    DbTest::TearDown();
  }

  void write(const std::string& file, const std::string& text) {
    std::ofstream(dir_ / file, std::ios::binary) << text;
  }

  void copy_real_migrations() {
    for (const auto& entry : std::filesystem::directory_iterator(migrations_dir())) {
      std::filesystem::copy_file(entry.path(), dir_ / entry.path().filename());
    }
  }

  std::filesystem::path dir_;
};

std::vector<int> versions_of(const std::vector<Migration>& migrations) {
  std::vector<int> out;
  out.reserve(migrations.size());
  for (const auto& m : migrations) out.push_back(m.version);
  return out;
}

TEST_F(MigrationsTest, AppliesEveryMigrationOnceAndRerunIsANoOp) {
  auto migrations = load_migrations(migrations_dir());
  ASSERT_GE(migrations.size(), 5u);
  EXPECT_EQ(migrate(db(), migrations), versions_of(migrations));
  EXPECT_EQ(scalar<int>("SELECT count(*) FROM schema_migrations"),
            static_cast<int>(migrations.size()));
  for (const char* table :
       {"rooms", "turnusers_lt", "turn_secret", "allocation_log", "participation_log"}) {
    EXPECT_FALSE(sql(std::string("SELECT to_regclass('") + table + "')")[0][0].is_null()) << table;
  }

  EXPECT_TRUE(migrate(db(), migrations).empty());
  EXPECT_TRUE(migrate(db(), migrations_dir()).empty());
  EXPECT_EQ(scalar<int>("SELECT count(*) FROM schema_migrations"),
            static_cast<int>(migrations.size()));
}

TEST_F(MigrationsTest, RecordsNameAndChecksumOfEachFile) {
  auto migrations = load_migrations(migrations_dir());
  migrate(db(), migrations);
  for (const Migration& m : migrations) {
    auto row = sql("SELECT name, checksum, applied_at <= now() FROM schema_migrations "
                   "WHERE version = " +
                   std::to_string(m.version))
                   .at(0);
    EXPECT_EQ(row[0].as<std::string>(), m.name);
    EXPECT_EQ(row[1].as<std::string>(), m.checksum);
    EXPECT_EQ(m.checksum.size(), 64u);
    EXPECT_TRUE(row[2].as<bool>());
  }
}

TEST_F(MigrationsTest, StatusShowsPendingThenApplied) {
  auto before = status(db(), migrations_dir());
  ASSERT_FALSE(before.empty());
  for (const auto& s : before) {
    EXPECT_EQ(s.state, MigrationState::kPending) << s.name;
    EXPECT_FALSE(s.applied_at);
  }
  EXPECT_EQ(before[0].version, 1);
  EXPECT_EQ(before[0].name, "rooms");

  migrate_all();
  int64_t now = scalar<int64_t>("SELECT extract(epoch FROM now())::bigint");
  for (const auto& s : status(db(), migrations_dir())) {
    EXPECT_EQ(s.state, MigrationState::kApplied) << s.name;
    ASSERT_TRUE(s.applied_at);
    EXPECT_LE(std::abs(*s.applied_at - now), 60);
  }
}

TEST_F(MigrationsTest, AppliesOnlyTheNewOnesLater) {
  write("001_first.sql", "CREATE TABLE first (x int);");
  EXPECT_EQ(migrate(db(), dir_), std::vector<int>{1});
  write("002_second.sql", "CREATE TABLE second (x int);");
  EXPECT_EQ(migrate(db(), dir_), std::vector<int>{2});
  EXPECT_TRUE(migrate(db(), dir_).empty());
}

TEST_F(MigrationsTest, RefusesAFileChangedAfterItWasApplied) {
  copy_real_migrations();
  migrate(db(), dir_);
  std::ofstream(dir_ / "002_turn_credentials.sql", std::ios::app) << "\n-- edited\n";

  try {
    migrate(db(), dir_);
    FAIL() << "a changed migration was accepted";
  } catch (const Error& e) {
    EXPECT_NE(
        std::string(e.what()).find("002_turn_credentials.sql was changed after it was applied"),
        std::string::npos)
        << e.what();
  }
  auto statuses = status(db(), dir_);
  EXPECT_EQ(statuses.at(1).state, MigrationState::kChanged);
  EXPECT_EQ(statuses.at(0).state, MigrationState::kApplied);
}

TEST_F(MigrationsTest, RefusesADatabaseNewerThanTheFiles) {
  copy_real_migrations();
  migrate(db(), dir_);
  auto last = load_migrations(dir_).back();
  std::filesystem::remove(dir_ / last.file_name());

  EXPECT_THROW(migrate(db(), dir_), Error);
  EXPECT_EQ(status(db(), dir_).back().state, MigrationState::kUnknown);
}

TEST_F(MigrationsTest, RefusesAPendingMigrationOlderThanAnAppliedOne) {
  write("002_b.sql", "CREATE TABLE b (x int);");
  migrate(db(), dir_);
  write("001_a.sql", "CREATE TABLE a (x int);");
  EXPECT_THROW(migrate(db(), dir_), Error);
  EXPECT_TRUE(sql("SELECT to_regclass('a')")[0][0].is_null());
}

TEST_F(MigrationsTest, AFailingMigrationIsRolledBackAndNamed) {
  write("001_ok.sql", "CREATE TABLE ok (x int);");
  write("002_bad.sql", "CREATE TABLE half (x int);\nSELECT 1 / 0;");
  write("003_after.sql", "CREATE TABLE after (x int);");
  try {
    migrate(db(), dir_);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("migration 002_bad.sql failed"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("division by zero"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(sql("SELECT to_regclass('ok')")[0][0].is_null());
  EXPECT_TRUE(sql("SELECT to_regclass('half')")[0][0].is_null());
  EXPECT_TRUE(sql("SELECT to_regclass('after')")[0][0].is_null());
  EXPECT_EQ(scalar<int>("SELECT count(*) FROM schema_migrations"), 1);
}

TEST_F(MigrationsTest, RejectsBadFileNamesAndDuplicateVersions) {
  write("001_ok.sql", "SELECT 1;");
  write("notes.txt", "ignored");
  EXPECT_EQ(load_migrations(dir_).size(), 1u);

  write("2_short.sql", "SELECT 1;");
  EXPECT_THROW(load_migrations(dir_), Error);
  std::filesystem::remove(dir_ / "2_short.sql");

  write("001_again.sql", "SELECT 1;");
  EXPECT_THROW(load_migrations(dir_), Error);
  std::filesystem::remove(dir_ / "001_again.sql");

  write("003_Upper.sql", "SELECT 1;");
  EXPECT_THROW(load_migrations(dir_), Error);

  EXPECT_THROW(load_migrations(dir_ / "missing"), Error);
}

TEST_F(MigrationsTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  auto migrations = load_migrations(migrations_dir());
  std::vector<int> applied[4];
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (auto& out : applied) {
    threads.emplace_back([&, &out = out] {
      try {
        Database own(url());
        out = migrate(own, migrations);
      } catch (const std::exception&) {
        ++errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors, 0);
  std::vector<int> all;
  for (const auto& list : applied) all.insert(all.end(), list.begin(), list.end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, versions_of(migrations));
}

// The usual production setup: the database belongs to an ordinary role that
// may not create roles. Migrating must still work (the role creation is
// skipped with a notice when the roles are missing; grants go to those that exist).
TEST_F(MigrationsTest, AnOrdinaryDatabaseOwnerCanMigrate) {
  std::string owner = "t_owner_" + random_suffix();
  std::string database = owner + "_db";
  admin_exec("CREATE ROLE " + owner + " LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB");
  admin_exec("CREATE DATABASE " + database + " OWNER " + owner);
  {
    Database own(with_user(with_database(base_url(), database), owner));
    EXPECT_EQ(migrate(own, migrations_dir()).size(), load_migrations(migrations_dir()).size());
    pqxx::work work(own.native().connection);
    EXPECT_EQ(work.exec1("SELECT tableowner FROM pg_tables WHERE tablename = 'rooms'")[0]
                  .as<std::string>(),
              owner);
    EXPECT_EQ(work.exec1("SELECT current_user")[0].as<std::string>(), owner);
  }
  admin_exec("DROP DATABASE " + database + " WITH (FORCE)");
  admin_exec("DROP ROLE " + owner);
}

TEST(DatabaseConnect, UnreachableServerIsAOneLineConnectError) {
  try {
    Database db("postgresql:///turnd?host=/nonexistent-turnd-socket-dir&connect_timeout=2");
    FAIL() << "connected";
  } catch (const ConnectError& e) {
    std::string what = e.what();
    EXPECT_TRUE(what.starts_with("cannot connect to database: ")) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace turnd::db::testing

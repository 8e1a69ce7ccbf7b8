// TURN users and REST secrets in coturn's tables, against a real PostgreSQL.
#include "db/errors.h"
#include "db/turn_credentials.h"
#include "db_test_util.h"

namespace turnd::db::testing {
namespace {

class CredentialsTest : public DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    migrate_all();
  }
};

TEST_F(CredentialsTest, UsersAreAddedUpdatedListedAndDeletedPerRealm) {
  std::string key = lt_hmackey("alice", "example.org", "wonderland");
  EXPECT_EQ(put_user(db(), "example.org", "alice", key), Upsert::kAdded);
  EXPECT_EQ(put_user(db(), "other.org", "alice", lt_hmackey("alice", "other.org", "x")),
            Upsert::kAdded);
  EXPECT_EQ(put_user(db(), "example.org", "bob", lt_hmackey("bob", "example.org", "b")),
            Upsert::kAdded);

  // coturn's column holds the hex key, padded by char(128).
  EXPECT_EQ(scalar<std::string>("SELECT rtrim(hmackey) FROM turnusers_lt "
                                "WHERE realm = 'example.org' AND name = 'alice'"),
            key);
  EXPECT_EQ(scalar<std::string>("SELECT rtrim(hmackey) FROM turnusers_lt WHERE realm = "
                                "'example.org' AND name = 'alice'"),
            scalar<std::string>("SELECT md5('alice:example.org:wonderland')"));

  std::string new_key = lt_hmackey("alice", "example.org", "looking-glass");
  EXPECT_EQ(put_user(db(), "example.org", "alice", new_key), Upsert::kUpdated);

  auto all = list_users(db());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].realm, "example.org");
  EXPECT_EQ(all[0].name, "alice");
  EXPECT_EQ(all[1].name, "bob");
  EXPECT_EQ(all[2].realm, "other.org");
  // The key read back (through char(128) padding) is the MD5 of the new password.
  std::string hex;
  for (uint8_t b : all[0].md5_key) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex += kHex[b >> 4];
    hex += kHex[b & 0xf];
  }
  EXPECT_EQ(hex, new_key);

  EXPECT_EQ(list_users(db(), std::string("other.org")).size(), 1u);
  delete_user(db(), "example.org", "alice");
  EXPECT_THROW(delete_user(db(), "example.org", "alice"), NotFound);
  EXPECT_EQ(list_users(db(), std::string("example.org")).size(), 1u);
  EXPECT_EQ(list_users(db(), std::string("other.org")).size(), 1u);
}

TEST_F(CredentialsTest, BadUsersAreRefused) {
  std::string key = lt_hmackey("a", "r", "p");
  EXPECT_THROW(put_user(db(), "r", "", key), InvalidInput);
  EXPECT_THROW(put_user(db(), "r", "a:b", key), InvalidInput);
  EXPECT_THROW(put_user(db(), "", "a", key), InvalidInput);
  EXPECT_THROW(put_user(db(), "r", "a\n", key), InvalidInput);
  EXPECT_THROW(put_user(db(), "r", std::string(513, 'a'), key), InvalidInput);
  EXPECT_THROW(put_user(db(), "r", "a", "not-hex"), InvalidInput);
  EXPECT_TRUE(list_users(db()).empty());
}

TEST_F(CredentialsTest, RowsWithCoturnSha256KeysAreSkipped) {
  sql("INSERT INTO turnusers_lt VALUES ('r', 'sha', repeat('ab', 32))");
  put_user(db(), "r", "md5", lt_hmackey("md5", "r", "p"));
  auto users = list_users(db());
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].name, "md5");
}

TEST_F(CredentialsTest, SecretsAreRealmScoped) {
  EXPECT_TRUE(add_secret(db(), "example.org", "s3cret-one"));
  EXPECT_FALSE(add_secret(db(), "example.org", "s3cret-one"));
  EXPECT_TRUE(add_secret(db(), "example.org", "s3cret-two"));
  EXPECT_TRUE(add_secret(db(), "other.org", "s3cret-one"));
  auto secrets = list_secrets(db(), std::string("example.org"));
  ASSERT_EQ(secrets.size(), 2u);
  EXPECT_EQ(secrets[0].value, "s3cret-one");
  EXPECT_EQ(list_secrets(db()).size(), 3u);

  delete_secret(db(), "example.org", "s3cret-one");
  EXPECT_THROW(delete_secret(db(), "example.org", "s3cret-one"), NotFound);
  EXPECT_EQ(list_secrets(db()).size(), 2u);
  EXPECT_THROW(add_secret(db(), "example.org", ""), InvalidInput);
}

TEST_F(CredentialsTest, GeneratedSecretsAreLongAndDistinct) {
  std::string a = generate_secret();
  std::string b = generate_secret();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(add_secret(db(), "r", a));
}

using CoturnDatabaseTest = DbTest;

TEST_F(CoturnDatabaseTest, ExistingCoturnTablesAreAdoptedWithTheirData) {
  // coturn's turndb/schema.sql, as an admin migrating from coturn has it.
  sql("CREATE TABLE turnusers_lt (realm varchar(127) default '', name varchar(512), "
      "hmackey char(128), PRIMARY KEY (realm, name))");
  sql("CREATE TABLE turn_secret (realm varchar(127) default '', value varchar(256), "
      "primary key (realm, value))");
  sql("INSERT INTO turn_secret VALUES ('example.org', 'from-coturn')");
  sql("INSERT INTO turnusers_lt VALUES ('example.org', 'carol', md5('carol:example.org:pw'))");
  migrate_all();
  ASSERT_EQ(list_secrets(db()).size(), 1u);
  EXPECT_EQ(list_secrets(db())[0].value, "from-coturn");
  ASSERT_EQ(list_users(db()).size(), 1u);
  EXPECT_EQ(list_users(db())[0].name, "carol");
}

}  // namespace
}  // namespace turnd::db::testing

// TURN credential helpers that need no database: coturn's key and the input checks.
#include <gtest/gtest.h>

#include "db/turn_credentials.h"

namespace turnd::db {
namespace {

TEST(LtHmackey, IsCoturnsMd5OfNameRealmPassword) {
  // `turnadmin -k -u alice -r example.org -p wonderland` prints 0x72f86f20...
  EXPECT_EQ(lt_hmackey("alice", "example.org", "wonderland"), "72f86f2053703faa0f521ce71cfe6f59");
  // RFC 5769 §2.4's user and password (after SASLprep), computed independently.
  EXPECT_EQ(lt_hmackey("\xe3\x83\x9e\xe3\x83\x88\xe3\x83\xaa\xe3\x83\x83\xe3\x82\xaf\xe3\x82\xb9",
                       "example.org", "TheMatrIX"),
            "e8ca7ad59d5eb0518e312911d2dab2a9");
}

TEST(CredentialChecks, NamesRealmsAndSecrets) {
  EXPECT_FALSE(user_name_problem("alice"));
  EXPECT_FALSE(user_name_problem("alice@example.org"));
  EXPECT_TRUE(user_name_problem(""));
  EXPECT_TRUE(user_name_problem("a:b"));
  EXPECT_TRUE(user_name_problem("tab\there"));
  EXPECT_TRUE(user_name_problem(std::string(513, 'x')));
  EXPECT_FALSE(realm_problem("example.org"));
  EXPECT_TRUE(realm_problem(std::string(128, 'r')));
  EXPECT_FALSE(secret_problem("with:colon"));
  EXPECT_TRUE(secret_problem(std::string(257, 's')));
  EXPECT_EQ(*user_name_problem("a:b"), "user name contains ':'");
}

}  // namespace
}  // namespace turnd::db

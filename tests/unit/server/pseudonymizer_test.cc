#include "turnd/server/pseudonymizer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace turnd::server {
namespace {

using Mode = config::Config::AddressPseudonym;

SocketAddress addr(const char* text) {
  return *SocketAddress::parse(text);
}

class PseudonymizerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("turnd-pseudonym-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path key_file() const { return dir_ / "pseudonym.key"; }
  std::filesystem::path dir_;
};

TEST(NetworkPrefix, TruncatesToSlash24AndSlash48) {
  EXPECT_EQ(network_prefix(addr("192.0.2.77:3478")), "192.0.2.0/24");
  EXPECT_EQ(network_prefix(addr("[2001:db8:1:2:3::9]:3478")), "2001:db8:1::/48");
  EXPECT_EQ(network_prefix(addr("[::ffff:198.51.100.9]:1")), "198.51.100.0/24");
}

TEST_F(PseudonymizerTest, ModesChooseWhatIsStored) {
  Pseudonymizer prefix({}, 3600, Mode::kPrefix, false, ':');
  EXPECT_EQ(prefix.address_prefix(addr("192.0.2.77")), "192.0.2.0/24");
  EXPECT_EQ(prefix.address_hash(addr("192.0.2.77"), 1000), "");
  EXPECT_EQ(prefix.user_hash("r", "alice", 1000), "");
  Pseudonymizer hash({}, 3600, Mode::kHash, true, ':');
  EXPECT_EQ(hash.address_prefix(addr("192.0.2.77")), "");
  EXPECT_EQ(hash.address_hash(addr("192.0.2.77"), 1000).size(), 32u);
  EXPECT_EQ(hash.user_hash("r", "alice", 1000).size(), 32u);
  Pseudonymizer none({}, 3600, Mode::kNone, false, ':');
  EXPECT_EQ(none.address_prefix(addr("192.0.2.77")), "");
  EXPECT_EQ(none.address_hash(addr("192.0.2.77"), 1000), "");
}

TEST_F(PseudonymizerTest, HashesAreStableWithinAPeriodAndNeverTheClearValue) {
  Pseudonymizer p({}, 3600, Mode::kBoth, true, ':');
  std::string a1 = p.address_hash(addr("192.0.2.77:1000"), 1000);
  EXPECT_EQ(p.address_hash(addr("192.0.2.77:2000"), 2000), a1);  // port ignored
  EXPECT_NE(p.address_hash(addr("192.0.2.78:1000"), 2000), a1);
  EXPECT_EQ(p.address_hash(addr("[::ffff:192.0.2.77]:1"), 2000), a1);  // mapped = IPv4
  EXPECT_EQ(a1.find("192.0.2.77"), std::string::npos);
  EXPECT_EQ(a1.find_first_not_of("0123456789abcdef"), std::string::npos);  // hex only
  std::string u = p.user_hash("example.org", "alice", 1000);
  EXPECT_NE(u, p.user_hash("other.org", "alice", 1000));
  EXPECT_NE(u, p.user_hash("example.org", "bob", 1000));
  // REST-API names: the expiry differs per credential, the person does not.
  EXPECT_EQ(p.user_hash("example.org", "1700003600:alice", 1000), u);
  EXPECT_EQ(p.user_hash("example.org", "1700007200:alice", 1000), u);
}

TEST_F(PseudonymizerTest, KeyRotatesAfterThePeriod) {
  Pseudonymizer p({}, 3600, Mode::kHash, true, ':');
  std::string before = p.address_hash(addr("192.0.2.77"), 1000);
  EXPECT_EQ(p.address_hash(addr("192.0.2.77"), 4599), before);
  EXPECT_NE(p.address_hash(addr("192.0.2.77"), 4600), before);
  EXPECT_EQ(p.period_start(), 4600);
}

TEST_F(PseudonymizerTest, KeyFileKeepsTheKeyAcrossRestartsWithinThePeriod) {
  std::string first;
  {
    Pseudonymizer p(key_file(), 3600, Mode::kHash, true, ':');
    first = p.address_hash(addr("192.0.2.77"), 1000);
  }
  ASSERT_TRUE(std::filesystem::exists(key_file()));
  auto perms = std::filesystem::status(key_file()).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::group_read, std::filesystem::perms::none);
  EXPECT_EQ(perms & std::filesystem::perms::others_read, std::filesystem::perms::none);
  {
    Pseudonymizer p(key_file(), 3600, Mode::kHash, true, ':');
    EXPECT_EQ(p.address_hash(addr("192.0.2.77"), 2000), first);
    EXPECT_NE(p.address_hash(addr("192.0.2.77"), 5000), first);  // rotated and stored
  }
  Pseudonymizer p(key_file(), 3600, Mode::kHash, true, ':');
  EXPECT_EQ(p.period_start(), 5000);
}

TEST_F(PseudonymizerTest, ACorruptKeyFileStartsANewPeriod) {
  std::filesystem::create_directories(dir_);
  std::ofstream(key_file()) << "garbage\n";
  Pseudonymizer p(key_file(), 3600, Mode::kHash, true, ':');
  EXPECT_EQ(p.address_hash(addr("192.0.2.77"), 1000).size(), 32u);
  EXPECT_EQ(p.period_start(), 1000);
}

}  // namespace
}  // namespace turnd::server

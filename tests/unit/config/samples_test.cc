// The sample configurations shipped in conf/ parse, and together with
// docs/CONFIG.md they mention every key turnd knows.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "turnd/config/config.h"
#include "turnd/config/coturn_keys.h"
#include "turnd/config/keys.h"

namespace turnd::config {
namespace {

std::filesystem::path source_dir() {
  return std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "..";
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(ConfigSamples, SampleConfigParses) {
  Config c = parse_text(read(source_dir() / "conf" / "turnd.conf"), "turnd.conf");
  EXPECT_TRUE(c.lt_cred_mech);
  EXPECT_FALSE(c.realm.empty());
}

TEST(ConfigSamples, DevConfigParses) {
  Config c = parse_text(read(source_dir() / "conf" / "turnd.dev.conf"), "turnd.dev.conf");
  ASSERT_EQ(c.listening_ips.size(), 2u);
  EXPECT_EQ(c.listening_ips[0].ip_string(), "127.0.0.1");
  EXPECT_EQ(c.listening_ips[1].ip_string(), "::1");
  EXPECT_EQ(c.listening_port, 3478);
  EXPECT_EQ(c.tls_listening_port, 5349);
  EXPECT_EQ(c.realm, "turnd.local");
  EXPECT_TRUE(c.lt_cred_mech);
  ASSERT_EQ(c.users.size(), 1u);
  EXPECT_EQ(c.users[0].name, "demo");
  EXPECT_TRUE(c.use_auth_secret);
  EXPECT_EQ(c.static_auth_secrets, std::vector<std::string>{"dev-secret-change-me"});
  EXPECT_EQ(c.min_port, 49152);
  EXPECT_EQ(c.max_port, 49999);
  EXPECT_TRUE(c.cert.empty());
  EXPECT_TRUE(c.pkey.empty());
  EXPECT_TRUE(c.verbose);
  EXPECT_TRUE(c.warnings.empty());
}

TEST(ConfigSamples, EveryKeyIsDocumented) {
  std::string sample = read(source_dir() / "conf" / "turnd.conf");
  std::string docs = read(source_dir() / "docs" / "CONFIG.md");
  for (const auto& key : turnd_keys()) {
    std::string name(key.name);
    bool in_sample = sample.find("\n#" + name) != std::string::npos ||
                     sample.find("\n" + name) != std::string::npos;
    EXPECT_TRUE(in_sample) << name << " missing in conf/turnd.conf";
    EXPECT_NE(docs.find("`" + name), std::string::npos) << name << " missing in docs/CONFIG.md";
  }
  for (const auto& key : coturn_keys()) {
    std::string name(key.name);
    EXPECT_NE(docs.find("`" + name + "`"), std::string::npos) << name << " missing in CONFIG.md";
  }
}

}  // namespace
}  // namespace turnd::config

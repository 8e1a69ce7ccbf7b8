// load(): -c FILE plus command-line overrides.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config_test_util.h"
#include "turnd/config/config.h"

namespace turnd::config {
namespace {

using test_util::hex;

// A configuration file in a fresh temporary directory, removed afterwards.
class ConfigLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("turnd_config_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& text) {
    auto path = (dir_ / "turnd.conf").string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  static Config load_args(std::vector<std::string> args) {
    args.insert(args.begin(), "turnd");
    std::vector<const char*> argv;
    argv.reserve(args.size());
    for (const auto& arg : args) argv.push_back(arg.c_str());
    return load(static_cast<int>(argv.size()), argv.data());
  }

  static std::string load_error(std::vector<std::string> args) {
    try {
      load_args(std::move(args));
    } catch (const ConfigError& error) {
      return error.what();
    }
    return "no error";
  }

  std::filesystem::path dir_;
};

constexpr const char* kFile =
    "listening-ip=192.0.2.1\n"
    "listening-port=3478\n"
    "realm=realm\n"
    "lt-cred-mech\n"
    "user=user:pass\n";

TEST_F(ConfigLoad, EveryWayToNameTheFile) {
  auto path = write(kFile);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"-c", path}, {"--config", path}, {"-c=" + path}, {"--config=" + path}}) {
    Config c = load_args(args);
    EXPECT_EQ(c.config_file, path);
    EXPECT_EQ(c.listening_port, 3478);
    ASSERT_EQ(c.users.size(), 1u);
    EXPECT_EQ(hex(c.users[0].md5_key), "8493fbc53ba582fb4c044c456bdc40eb");
  }
}

TEST_F(ConfigLoad, NoFileIsFine) {
  Config c = load_args({"--listening-port=4000"});
  EXPECT_EQ(c.config_file, "");
  EXPECT_EQ(c.listening_port, 4000);
  EXPECT_EQ(load_args({}).listening_port, 3478);
}

TEST_F(ConfigLoad, CommandLineWinsForScalarsAndAppendsToLists) {
  auto path = write(kFile);
  // Options before -c still apply after the file.
  Config c = load_args({"--listening-port=4000", "-c", path, "--listening-ip=192.0.2.2",
                        "--user=other:pw", "--no-udp", "-v"});
  EXPECT_EQ(c.listening_port, 4000);
  ASSERT_EQ(c.listening_ips.size(), 2u);
  EXPECT_EQ(c.listening_ips[0].ip_string(), "192.0.2.1");
  EXPECT_EQ(c.listening_ips[1].ip_string(), "192.0.2.2");
  ASSERT_EQ(c.users.size(), 2u);
  EXPECT_EQ(c.users[1].name, "other");
  EXPECT_TRUE(c.no_udp);
  EXPECT_TRUE(c.verbose);
}

TEST_F(ConfigLoad, CommandLineRealmIsUsedForFileUsers) {
  auto path = write("lt-cred-mech\nuser=user:pass\n");
  Config c = load_args({"-c", path, "--realm=realm"});
  EXPECT_EQ(hex(c.users[0].md5_key), "8493fbc53ba582fb4c044c456bdc40eb");
}

TEST_F(ConfigLoad, FlagsCanBeTurnedOffOnTheCommandLine) {
  auto path = write("verbose\nfingerprint\n");
  Config c = load_args({"-c", path, "--verbose=false", "--fingerprint=off"});
  EXPECT_FALSE(c.verbose);
  EXPECT_FALSE(c.fingerprint);
}

TEST_F(ConfigLoad, MissingFile) {
  auto path = (dir_ / "absent.conf").string();
  EXPECT_EQ(load_error({"-c", path}), path + ": cannot open: No such file or directory");
}

TEST_F(ConfigLoad, FileErrorsNameTheFileAndLine) {
  auto path = write("realm=r\nlistenin-port=1\n");
  EXPECT_EQ(load_error({"-c", path}),
            path + ":2: unknown key 'listenin-port' (did you mean 'listening-port'?)");
}

TEST_F(ConfigLoad, FinalizeErrorsNameTheFile) {
  auto path = write("lt-cred-mech\n");
  EXPECT_EQ(load_error({"-c", path}), path + ": lt-cred-mech needs a realm");
  EXPECT_EQ(load_error({"--lt-cred-mech"}), "command line: lt-cred-mech needs a realm");
}

TEST_F(ConfigLoad, CommandLineErrors) {
  EXPECT_EQ(load_error({"--min-port=0"}),
            "command line: min-port: '0' is not a port number (1-65535)");
  EXPECT_EQ(load_error({"--realms=x"}),
            "command line: unknown key 'realms' (did you mean 'realm'?)");
  EXPECT_EQ(load_error({"--realm", "example.org"}),
            "command line: --realm needs a value: --realm=VALUE");
  EXPECT_EQ(load_error({"example.org"}), "command line: unexpected argument 'example.org'");
  EXPECT_EQ(load_error({"--"}), "command line: unexpected argument '--'");
  EXPECT_EQ(load_error({"-x"}), "command line: unexpected argument '-x'");
  EXPECT_EQ(load_error({"-c"}), "command line: -c needs a file name");
  EXPECT_EQ(load_error({"-c="}), "command line: -c needs a file name");
  EXPECT_EQ(load_error({"-c", "a", "-c", "b"}), "command line: -c/--config given twice");
  EXPECT_EQ(load_error({"--no-tlsv1_2"}),
            "command line: no-tlsv1_2: turnd needs TLS 1.2 (it offers TLS 1.2 and 1.3 only)");
}

TEST_F(ConfigLoad, HelpAndVersionAreLeftToTheCaller) {
  EXPECT_EQ(load_error({"-h"}), "command line: unexpected argument '-h'");
  EXPECT_EQ(load_error({"--help"}), "command line: unknown key 'help'");
  EXPECT_EQ(load_error({"--version"}), "command line: unknown key 'version'");
}

TEST_F(ConfigLoad, StaleNonceTakesAnOptionalValue) {
  EXPECT_EQ(load_args({"--stale-nonce"}).stale_nonce, 600u);
  EXPECT_EQ(load_args({"--stale-nonce=60"}).stale_nonce, 60u);
}

}  // namespace
}  // namespace turnd::config

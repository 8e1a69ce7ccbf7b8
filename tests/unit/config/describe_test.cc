#include "turnd/config/describe.h"

#include <gtest/gtest.h>

namespace turnd::config {
namespace {

std::string joined(const Config& c) {
  std::string out;
  for (const std::string& line : describe(c)) out += line + "\n";
  return out;
}

TEST(Describe, RedactsSecretsAndUserNames) {
  Config c = parse_text(
      "realm=example.org\nlt-cred-mech\nuser=alice:wonderland\nuser=bob:"
      "0x0123456789abcdef0123456789abcdef\n"
      "use-auth-secret\nstatic-auth-secret=s3cr3t-value\n",
      "t");
  std::string text = joined(c);
  EXPECT_NE(text.find("realm=example.org\n"), std::string::npos);
  EXPECT_NE(text.find("users=2\n"), std::string::npos);
  EXPECT_NE(text.find("static-auth-secret=1 (redacted)\n"), std::string::npos);
  EXPECT_EQ(text.find("s3cr3t"), std::string::npos);
  EXPECT_EQ(text.find("wonderland"), std::string::npos);
  EXPECT_EQ(text.find("alice"), std::string::npos);
  EXPECT_EQ(text.find("0123456789abcdef"), std::string::npos);
}

TEST(Describe, ShowsListenersAndRelayPlan) {
  Config c = parse_text("listening-ip=192.0.2.1\nmin-port=50000\nmax-port=50100\nno-udp\n", "t");
  std::string text = joined(c);
  EXPECT_NE(text.find("listening-ip=192.0.2.1\n"), std::string::npos);
  EXPECT_NE(text.find("ports=50000-50100\n"), std::string::npos);
  EXPECT_NE(text.find("udp=off\n"), std::string::npos);
}

}  // namespace
}  // namespace turnd::config

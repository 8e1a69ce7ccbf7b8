#include "sfu/conference/join_throttle.h"

#include <gtest/gtest.h>

namespace turnd::sfu::conference {
namespace {

SocketAddress addr(const char* text) {
  return *SocketAddress::parse(text);
}

TEST(JoinThrottle, PerSourceLimitWithinTheWindow) {
  JoinThrottle t({3, 100, Seconds(60)});
  SteadyTime now{};
  auto mallory = addr("192.0.2.66:1000");
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(t.allowed(mallory, "room", now));
    t.record_failure(mallory, "room", now);
  }
  EXPECT_FALSE(t.allowed(mallory, "room", now));
  EXPECT_FALSE(t.allowed(addr("192.0.2.66:2000"), "other", now));  // the port does not matter
  EXPECT_TRUE(t.allowed(addr("192.0.2.67:1000"), "room", now));    // others may still try
  EXPECT_TRUE(t.allowed(mallory, "room", now + Seconds(60)));      // the window passed
}

TEST(JoinThrottle, PerRoomLimitAcrossSources) {
  JoinThrottle t({100, 4, Seconds(60)});
  SteadyTime now{};
  for (int i = 0; i < 4; ++i) {
    std::string ip = "198.51.100." + std::to_string(i + 1);
    t.record_failure(addr(ip.c_str()), "target", now);
  }
  EXPECT_FALSE(t.allowed(addr("203.0.113.9"), "target", now + Seconds(59)));
  EXPECT_TRUE(t.allowed(addr("203.0.113.9"), "elsewhere", now));
  EXPECT_TRUE(t.allowed(addr("203.0.113.9"), "target", now + Seconds(61)));
}

}  // namespace
}  // namespace turnd::sfu::conference

#include "turnd/server/reload.h"

#include <gtest/gtest.h>

namespace turnd::server {
namespace {

config::Config parse(const char* text) {
  return config::parse_text(text, "t");
}

TEST(Reload, LiveKeysNeedNoRestart) {
  auto running = parse("realm=a\nlt-cred-mech\nuser=u:p\nuser-quota=1\nverbose\n");
  auto next = parse("realm=b\nlt-cred-mech\nuser=u:q\nuser-quota=5\ndenied-peer-ip=192.0.2.1\n");
  EXPECT_TRUE(keys_needing_restart(running, next).empty());
}

TEST(Reload, ListenersPortsAndThreadsNeedARestart) {
  auto running = parse("listening-port=3478\nmin-port=50000\nrelay-threads=2\n");
  auto next = parse("listening-port=3479\nmin-port=50001\nrelay-threads=4\nprometheus\n");
  EXPECT_EQ(keys_needing_restart(running, next),
            (std::vector<std::string>{"listening-port", "min-port/max-port", "relay-threads",
                                      "prometheus"}));
}

TEST(Reload, ACertificateChangeIsLiveButStartingTlsIsNot) {
  auto with_cert = parse("cert=/a.pem\npkey=/a.key\n");
  auto other_cert = parse("cert=/b.pem\npkey=/b.key\n");
  auto without = parse("");
  EXPECT_TRUE(keys_needing_restart(with_cert, other_cert).empty());
  EXPECT_EQ(keys_needing_restart(without, with_cert).size(), 1u);
}

}  // namespace
}  // namespace turnd::server

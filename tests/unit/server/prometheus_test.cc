#include "turnd/server/prometheus.h"

#include <gtest/gtest.h>

#include <vector>

namespace turnd::server {
namespace {

TEST(Prometheus, SumsWorkersUnderCoturnNames) {
  turn::Metrics a;
  turn::Metrics b;
  net::DatagramIo io_a;
  net::DatagramIo io_b;
  a.active_by_transport[static_cast<size_t>(turn::ClientTransport::kTcp)].add(2);
  b.active_by_transport[static_cast<size_t>(turn::ClientTransport::kTcp)].add(3);
  b.active_by_transport[static_cast<size_t>(turn::ClientTransport::kUdp)].add(1);
  a.packets_to_peers.add(10);
  b.packets_to_peers.add(5);
  a.binding_requests.add(7);
  io_b.send_errors.add(4);
  std::vector<MetricsSource> sources{{&a, &io_a}, {&b, &io_b}};
  std::string text = render_prometheus(sources);
  EXPECT_NE(text.find("turn_total_allocations{type=\"TCP\"} 5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("turn_total_allocations{type=\"UDP\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("turn_total_traffic_peer_sentp 15\n"), std::string::npos);
  EXPECT_NE(text.find("stun_binding_request 7\n"), std::string::npos);
  EXPECT_NE(text.find("turnd_udp_send_errors_total 4\n"), std::string::npos);
  EXPECT_NE(text.find("turnd_workers 2\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE turn_total_traffic_peer_sentp counter\n"), std::string::npos);
}

TEST(Prometheus, EveryMetricHasHelpAndTypeAndNoAddressLabels) {
  turn::Metrics m;
  net::DatagramIo io;
  std::vector<MetricsSource> sources{{&m, &io}};
  std::string text = render_prometheus(sources);
  size_t helps = 0;
  size_t types = 0;
  for (size_t p = 0; (p = text.find("# HELP ", p)) != std::string::npos; ++p) ++helps;
  for (size_t p = 0; (p = text.find("# TYPE ", p)) != std::string::npos; ++p) ++types;
  EXPECT_GT(helps, 20u);
  EXPECT_EQ(helps, types);
  EXPECT_EQ(text.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(text.find("user"), std::string::npos);
}

}  // namespace
}  // namespace turnd::server

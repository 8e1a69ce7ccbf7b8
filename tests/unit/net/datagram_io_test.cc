// DatagramIo over real loopback sockets: every datagram reaches the callback
// intact, also when a loop round receives more than the buffer pool holds and
// receive() has to flush and start the pool over in the middle of the round
// (a bug found by the SFU load benchmark: the batch was read from stale
// buffers after that restart).
#include "turnd/net/datagram_io.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <vector>

namespace turnd::net {
namespace {

struct Socket {
  Socket() : fd(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int big = 8 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    socklen_t len = sizeof(a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    address = *SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&a), len);
  }
  ~Socket() { ::close(fd); }
  int fd;
  SocketAddress address;
};

TEST(DatagramIo, MoreDatagramsThanThePoolInOneRoundArriveIntact) {
  Socket rx, tx;
  constexpr uint32_t kCount = 3 * DatagramIo::kPoolSize;
  for (uint32_t i = 0; i < kCount; ++i) {
    std::array<std::byte, 64> payload{};
    std::memcpy(payload.data(), &i, sizeof(i));
    ASSERT_EQ(::sendto(tx.fd, payload.data(), payload.size(), 0, rx.address.sockaddr_ptr(),
                       rx.address.sockaddr_len()),
              static_cast<ssize_t>(payload.size()));
  }
  DatagramIo io;
  std::vector<uint32_t> seen;
  // One round: receive until the socket is empty, no flush in between.
  while (io.receive(rx.fd, [&](const SocketAddress& from, MutableBytes data) {
    EXPECT_EQ(from, tx.address);
    ASSERT_EQ(data.size(), 64u);
    uint32_t n = 0;
    std::memcpy(&n, data.data(), sizeof(n));
    seen.push_back(n);
  }) != 0) {
  }
  io.flush();
  ASSERT_EQ(seen.size(), kCount);
  for (uint32_t i = 0; i < kCount; ++i) ASSERT_EQ(seen[i], i) << "datagram " << i;
}

}  // namespace
}  // namespace turnd::net

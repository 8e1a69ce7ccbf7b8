// DatagramIo over real loopback sockets: every datagram reaches the callback
// intact, also when a loop round receives more than the buffer pool holds and
// receive() has to flush and start the pool over in the middle of the round
// (a bug found by the SFU load benchmark: the batch was read from stale
// buffers after that restart); and a round that sends more copies than the
// send pool holds (an SFU fanning a batch out) sends them in batches, not one
// system call each.
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

// Count what is waiting on a socket, without blocking.
size_t drain(int fd) {
  size_t n = 0;
  std::array<std::byte, 2048> buffer{};
  while (::recv(fd, buffer.data(), buffer.size(), MSG_DONTWAIT) > 0) ++n;
  return n;
}

TEST(DatagramIo, FanOutBeyondTheSendPoolLeavesInBatchesAndKeepsTheReceivedBuffers) {
  Socket sfu, publisher;
  std::array<Socket, 4> subscribers;  // a 100-byte datagram takes ~1 KiB of a receive buffer
  constexpr size_t kFanOut = 3 * DatagramIo::kSendPoolSize + 7;
  std::array<std::byte, 100> packet{};
  packet[0] = std::byte{0x80};
  ASSERT_EQ(::sendto(publisher.fd, packet.data(), packet.size(), 0, sfu.address.sockaddr_ptr(),
                     sfu.address.sockaddr_len()),
            static_cast<ssize_t>(packet.size()));
  DatagramIo io;
  size_t received = 0;
  io.receive(sfu.fd, [&](const SocketAddress&, MutableBytes data) {
    ++received;
    std::array<std::byte, 100> copy{};
    for (size_t i = 0; i < kFanOut; ++i) {
      std::memcpy(copy.data(), data.data(), data.size());  // what an SFU encrypts per subscriber
      copy[1] = static_cast<std::byte>(i);
      io.send(sfu.fd, subscribers[i % subscribers.size()].address, copy);
      // The received datagram must survive the early sends.
      ASSERT_EQ(data[0], std::byte{0x80}) << "after " << i << " sends";
    }
    io.send(sfu.fd, publisher.address, data);  // and the original, queued without a copy
  });
  io.flush();
  ASSERT_EQ(received, 1u);
  size_t arrived = drain(publisher.fd);
  for (Socket& s : subscribers) arrived += drain(s.fd);
  EXPECT_EQ(arrived, kFanOut + 1);
  EXPECT_EQ(io.datagrams_sent.get(), kFanOut + 1);
  EXPECT_EQ(io.send_errors.get(), 0u);
  EXPECT_EQ(io.early_sends.get(), 3u);
  EXPECT_LE(io.send_calls.get(), 4u);  // one sendmmsg per full send pool and one at flush
}

// What an SFU does per subscriber: build (encrypt) straight into a send
// buffer, then send it: no copy, and still batched past the send pool's size.
TEST(DatagramIo, DatagramsBuiltInSendBuffersLeaveIntact) {
  Socket sender;
  std::array<Socket, 4> receivers;
  constexpr uint32_t kCount = 2 * DatagramIo::kSendPoolSize + 3;
  DatagramIo io;
  for (uint32_t i = 0; i < kCount; ++i) {
    MutableBytes buffer = io.send_buffer();
    ASSERT_GE(buffer.size(), DatagramIo::kPayload);
    std::memset(buffer.data(), 0x42, 200);
    std::memcpy(buffer.data(), &i, sizeof(i));
    io.send(sender.fd, receivers[i % receivers.size()].address, buffer.first(200));
  }
  io.flush();
  EXPECT_EQ(io.datagrams_sent.get(), kCount);
  EXPECT_LE(io.send_calls.get(), 3u);
  std::vector<bool> seen(kCount, false);
  std::array<std::byte, 2048> data{};
  for (Socket& r : receivers) {
    ssize_t n;
    while ((n = ::recv(r.fd, data.data(), data.size(), MSG_DONTWAIT)) > 0) {
      ASSERT_EQ(n, 200);
      uint32_t i = 0;
      std::memcpy(&i, data.data(), sizeof(i));
      ASSERT_LT(i, kCount);
      EXPECT_EQ(data[199], std::byte{0x42});
      seen[i] = true;
    }
  }
  for (uint32_t i = 0; i < kCount; ++i) EXPECT_TRUE(seen[i]) << "datagram " << i;
}

}  // namespace
}  // namespace turnd::net

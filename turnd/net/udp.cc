#include "turnd/net/udp.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cerrno>

namespace turnd::net {

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

int open_udp_socket(const SocketAddress& address, bool reuse_port) noexcept {
  int domain = address.is_v6() ? AF_INET6 : AF_INET;
  int fd = ::socket(domain, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  if (reuse_port) ::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
  if (address.is_v6()) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  if (::bind(fd, address.sockaddr_ptr(), address.sockaddr_len()) != 0) {
    int saved = errno;
    ::close(fd);
    errno = saved;
    return -1;
  }
  return fd;
}

int set_receive_buffer(int fd, int bytes) noexcept {
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));  // capped, never fails on size
  int got = -1;
  socklen_t len = sizeof(got);
  if (::getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &len) != 0) return -1;
  return got;
}

bool send_datagram(int fd, const SocketAddress& to, Bytes data) noexcept {
  ssize_t n =
      ::sendto(fd, data.data(), data.size(), MSG_DONTWAIT, to.sockaddr_ptr(), to.sockaddr_len());
  return n == static_cast<ssize_t>(data.size());
}

}  // namespace turnd::net

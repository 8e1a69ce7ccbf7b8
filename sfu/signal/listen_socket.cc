#include "sfu/signal/listen_socket.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace turnd::sfu::signal {
namespace {

[[noreturn]] void fail(const SocketAddress& address, int error) {
  throw std::runtime_error("cannot listen on " + address.to_string() + ": " + std::strerror(error));
}

}  // namespace

ListenSocket::ListenSocket(const SocketAddress& address, int backlog) {
  if (address.empty()) throw std::runtime_error("cannot listen: no address given");
  int family = address.is_v4() ? AF_INET : AF_INET6;
  fd_ = ::socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0) fail(address, errno);
  int one = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (family == AF_INET6) ::setsockopt(fd_, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  if (::bind(fd_, address.sockaddr_ptr(), address.sockaddr_len()) != 0 ||
      ::listen(fd_, backlog) != 0) {
    int error = errno;
    ::close(fd_);
    fd_ = -1;
    fail(address, error);
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  local_ = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&bound), len).value_or(address);
}

ListenSocket::~ListenSocket() {
  if (fd_ >= 0) ::close(fd_);
}

int ListenSocket::release() noexcept {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

std::optional<Accepted> accept_connection(int listen_fd) noexcept {
  sockaddr_storage peer{};
  socklen_t len = sizeof(peer);
  int fd =
      ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) return std::nullopt;
  Accepted a;
  a.fd = fd;
  a.peer = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&peer), len)
               .value_or(SocketAddress{});
  return a;
}

}  // namespace turnd::sfu::signal

#include "turnd/net/port_probe.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace turnd::net {

void ensure_port_free(const SocketAddress& address, ProbeProtocol protocol) {
  bool tcp = protocol == ProbeProtocol::kTcp;
  int fd = ::socket(address.is_v6() ? AF_INET6 : AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
  if (fd < 0) return;  // the real bind will report it
  int one = 1;
  // TIME_WAIT leftovers of an earlier run are no reason to refuse.
  if (tcp) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (address.is_v6()) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  int rc = ::bind(fd, address.sockaddr_ptr(), address.sockaddr_len());
  int saved = errno;
  ::close(fd);
  if (rc != 0 && saved == EADDRINUSE) {
    throw std::runtime_error(std::string(tcp ? "tcp " : "udp ") + address.to_string() +
                             " is already in use (is another turnd or coturn running?)");
  }
}

}  // namespace turnd::net

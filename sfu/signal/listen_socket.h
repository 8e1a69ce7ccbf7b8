// The signalling server's listening TCP socket, bound by the constructor so
// that a port in use or an address not on this host is reported at start-up
// with the kernel's reason. libwebsockets then polls it (adopted as a raw
// descriptor) and every accepted connection is handed to its TLS vhost.
#pragma once

#include <optional>

#include "turnd/common/address.h"

namespace turnd::sfu::signal {

class ListenSocket {
 public:
  // Throws std::runtime_error("cannot listen on ADDRESS: REASON").
  explicit ListenSocket(const SocketAddress& address, int backlog = 128);
  ~ListenSocket();
  ListenSocket(const ListenSocket&) = delete;
  ListenSocket& operator=(const ListenSocket&) = delete;

  int fd() const noexcept { return fd_; }
  // The bound address (with the kernel's port when 0 was asked for).
  const SocketAddress& local() const noexcept { return local_; }
  // Gives up ownership (libwebsockets closes it from then on).
  int release() noexcept;

 private:
  int fd_ = -1;
  SocketAddress local_;
};

struct Accepted {
  int fd = -1;
  SocketAddress peer;
};

// One pending connection, non-blocking and close-on-exec; nullopt when there
// is none (or accept failed: errno tells).
std::optional<Accepted> accept_connection(int listen_fd) noexcept;

}  // namespace turnd::sfu::signal

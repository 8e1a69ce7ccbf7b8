// How a TURN listener that shares its port with the web server (web-port ==
// tls-listening-port) passes a connection on (turnd/net/shared_port.h says
// which ones). Implemented by the signalling server, which runs on its own
// thread.
#pragma once

#include "turnd/common/address.h"

namespace turnd::net {

enum class WebHandoff : unsigned char {
  kTls,        // the client's own TLS stream: its ClientHello was only peeked
  kDecrypted,  // plaintext HTTP from a connection turnd terminated (one end of a socketpair)
  kPlainHttp,  // plain HTTP on a port shared with TURN over TCP: answered with a redirect to https
};

class WebDoor {
 public:
  virtual ~WebDoor() = default;
  // Any thread. Takes `fd` (closing it if the web server refuses it);
  // `client` is the real client's address, for limits and logs.
  virtual void adopt(int fd, const SocketAddress& client, WebHandoff kind) noexcept = 0;
};

}  // namespace turnd::net

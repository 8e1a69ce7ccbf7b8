#include "turnd/turn/io.h"

namespace turnd::turn {

const char* to_string(ClientTransport transport) noexcept {
  switch (transport) {
    case ClientTransport::kUdp:
      return "udp";
    case ClientTransport::kTcp:
      return "tcp";
    case ClientTransport::kTls:
      return "tls";
  }
  return "?";
}

}  // namespace turnd::turn

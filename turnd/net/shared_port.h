// Where a connection on a port shared by the web and TURN goes (docs/ADMIN.md,
// "Port 443 only"). Browsers' HTTPS always offers ALPN (h2, http/1.1);
// browsers' turns: connections offer none, and send no SNI when the URL holds
// an address. So, from the ClientHello:
//   - SNI equal to a configured web or TURN name      -> that one;
//   - ALPN offering "stun.turn" (RFC 7443)             -> TURN;
//   - ALPN offering http/1.1 or h2                     -> the web server;
//   - no ALPN, or only others (Firefox's TURN through an HTTP proxy offers
//     "c-webrtc", RFC 8833) -> turnd completes the handshake and looks at
//     the first bytes: a STUN message -> TURN, an HTTP request line -> the
//     web (curl --no-alpn, monitoring checks), anything else -> closed.
// On a plain TCP port shared the same way the first bytes decide at once.
// Pure functions; the sockets are StreamListener's.
#pragma once

#include <string>

#include "turnd/common/bytes.h"
#include "turnd/net/client_hello.h"

namespace turnd::net {

// Host names that route by SNI alone (empty: not used), compared without
// regard to case.
struct SharedPortNames {
  std::string web;
  std::string turn;
};

enum class HelloRoute : unsigned char {
  kWeb,            // hand the untouched connection to the web server
  kTurn,           // TURN over TLS
  kAfterHandshake  // terminate TLS here, then route by the first bytes
};

HelloRoute route_hello(const ClientHello& hello, const SharedPortNames& names) noexcept;

enum class FirstBytes : unsigned char {
  kNeedMore,  // too few bytes to tell
  kTurn,      // a STUN message header (RFC 8489 §5: 00 bits, magic cookie)
  kHttp,      // an HTTP/1.x request line's method and space
  kOther,
};

// A new connection's first message. ChannelData (0x40..0x4F) cannot come
// first — a channel is bound before — so it never counts as TURN here ("GET "
// would look like channel 0x4745).
FirstBytes classify_first_bytes(Bytes head) noexcept;

}  // namespace turnd::net

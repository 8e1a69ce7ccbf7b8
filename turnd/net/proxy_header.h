// The PROXY protocol header (HAProxy's spec, versions 1 and 2,
// haproxy.org/download/2.6/doc/proxy-protocol.txt): a load balancer in front
// of turnd (HAProxy, nginx `stream` with proxy_protocol on) writes it first on
// each connection, naming the real client. turnd reads it only from
// configured sources (proxy-protocol-from), so nobody else can claim an
// address. Pure function over the connection's first bytes, no I/O.
//
//   v1: "PROXY TCP4 192.0.2.1 198.51.100.1 56324 443\r\n" (at most 107 bytes),
//       "PROXY UNKNOWN ...\r\n"
//   v2: 12-byte signature, version/command, family/protocol, 16-bit length,
//       addresses (IPv4 12 bytes, IPv6 36), then TLVs (ignored)
#pragma once

#include <cstddef>

#include "turnd/common/address.h"
#include "turnd/common/bytes.h"

namespace turnd::net {

enum class ProxyStatus : unsigned char {
  kComplete,  // a whole header of `length` bytes
  kNeedMore,  // a header so far
  kInvalid,   // not a PROXY header, or a malformed one: close the connection
};

struct ProxyHeader {
  size_t length = 0;  // bytes to consume before the client's own
  // The client and the address it connected to; empty for v2 LOCAL (the
  // proxy's own health check) and v1 UNKNOWN or v2 UNSPEC: the connection
  // is then taken as coming from the proxy itself.
  SocketAddress source;
  SocketAddress destination;
};

// Longest header accepted (v2 with TLVs): more is refused, not waited for.
inline constexpr size_t kMaxProxyHeader = 1024;

ProxyStatus parse_proxy_header(Bytes head, ProxyHeader& header) noexcept;

}  // namespace turnd::net

// The first flight of a TLS client, read without consuming it: one port
// carries both browsers' HTTPS and TURN over TLS (docs/ADMIN.md, "Port 443
// only"), and what the ClientHello offers — ALPN (RFC 7301) and SNI
// (RFC 6066 §3) — says where the connection goes before any handshake.
//
// Layout (RFC 8446 §4.1.2, §5.1): TLSPlaintext records of type handshake(22),
// each at most 2^14 bytes, carrying one Handshake message of type
// client_hello(1) — which may span several records (large post-quantum key
// shares) and several TCP segments. Pure function, no I/O: the caller peeks
// the socket again when the answer is kNeedMore.
#pragma once

#include <cstddef>
#include <string_view>

#include "turnd/common/bytes.h"

namespace turnd::net {

enum class HelloStatus : unsigned char {
  kComplete,  // a whole ClientHello: its fields are filled in
  kNeedMore,  // a ClientHello so far; more bytes are needed
  kNotTls,    // the stream does not start with a TLS handshake record
  kInvalid,   // TLS, but not a well-formed ClientHello
};

struct ClientHello {
  // RFC 6066 §3 host_name, as sent ("" when absent).
  std::string_view server_name;
  // RFC 7301 §3.1: whether the extension is present, and its
  // ProtocolNameList body (each name behind a one-byte length).
  bool has_alpn = false;
  Bytes alpn_list;

  // Whether `protocol` is among the offered ALPN names.
  bool offers(std::string_view protocol) const noexcept;
};

// The largest ClientHello accepted (its handshake message, all records).
inline constexpr size_t kMaxClientHello = 32 * 1024;

// Reads the ClientHello at the start of `stream`. Handshake bytes are
// gathered into `scratch` (at least kMaxClientHello bytes, else larger
// hellos are kInvalid); the views in `hello` point into it.
HelloStatus parse_client_hello(Bytes stream, MutableBytes scratch, ClientHello& hello) noexcept;

}  // namespace turnd::net

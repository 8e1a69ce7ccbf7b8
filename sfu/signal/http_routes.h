// What the signalling server's HTTP side answers for a request path: pure
// functions, no sockets, so the rules are unit-tested on their own
// (tests/unit/sfu/signal/http_routes_test.cc).
//
//   /  and  /r/<slug>      the client's index.html (it reads the slug itself)
//   /<file>.<known ext>    a static file of the web root (subfolders allowed)
//   /imprint, /privacy     the documents the admin configured
//   /ws                    the WebSocket (only as an upgrade)
//   anything else          404
//
// Paths are percent-decoded here; any ".." or "." segment, a dot file, an
// empty segment, a backslash, a NUL or a malformed escape is refused, so no
// request reaches a file outside the web root.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace turnd::sfu::signal {

enum class RouteKind { kIndex, kStatic, kImprint, kPrivacy, kWebSocket, kNotFound };

struct Route {
  RouteKind kind = RouteKind::kNotFound;
  std::string file;  // kIndex and kStatic: relative to the web root ("index.html", "js/a.js")
  bool operator==(const Route&) const = default;
};

inline constexpr std::string_view kWebSocketPath = "/ws";
inline constexpr std::string_view kIndexFile = "index.html";

// `path` without the query ("?..."); percent-encoded or not.
Route route_request(std::string_view path);

// "%41b" -> "Ab"; nullopt for a malformed escape or an encoded NUL.
std::optional<std::string> percent_decode(std::string_view text);

// Content-Type for a file the web root may serve, by extension; empty for any
// other file (those are not served).
std::string_view static_content_type(std::string_view file_name);

// Content-Type of an admin document (imprint, privacy notice): HTML for .html
// and .htm, plain UTF-8 text for anything else.
std::string_view document_content_type(std::string_view file_name);

// A browser's WebSocket must come from a page of this server: the Origin, when
// there is one, must be https://<Host>. Clients that send no Origin (not
// browsers) are allowed.
bool origin_allowed(std::string_view origin, std::string_view host);

// The DNS name in a Host header ("meet.example.org:443" -> "meet.example.org",
// lower case), or "" when it holds an address literal or anything that is not
// a host name. The conference puts it into the turns: URL it gives that
// browser: Firefox uses TURN over TLS only with a name its certificate check
// can match, and the page came over the same name.
std::string page_host(std::string_view host_header);

// Where a plain-HTTP request (web-redirect-port) is sent: https:// plus the
// Host header's name, IPv4 address or [IPv6] address, `port` unless it is
// 443, and `path` when it is all visible ASCII starting with '/' (else "/").
// "" when the Host header holds none of those: no redirect to a place the
// client did not name.
std::string https_location(std::string_view host_header, std::string_view path, uint16_t port);

// Headers sent with every HTTP response (names in lower case, with the colon
// libwebsockets expects).
struct HttpHeader {
  const char* name;
  const char* value;
};
std::span<const HttpHeader> security_headers();

}  // namespace turnd::sfu::signal

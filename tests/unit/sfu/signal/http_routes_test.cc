// What the signalling server's HTTP side serves for a path: the client's
// pages, static files by extension, the admin's documents, and 404 for
// everything else, traversal attempts (plain and percent-encoded) included.
#include "sfu/signal/http_routes.h"

#include <gtest/gtest.h>

#include <string>

namespace turnd::sfu::signal {
namespace {

Route index_route() {
  return {RouteKind::kIndex, "index.html"};
}
Route file(std::string name) {
  return {RouteKind::kStatic, std::move(name)};
}
const Route kNotFound{};

TEST(HttpRoutes, RootAndRoomPagesServeTheIndex) {
  EXPECT_EQ(route_request("/"), index_route());
  EXPECT_EQ(route_request("/index.html"), index_route());
  EXPECT_EQ(route_request("/r/abc"), index_route());
  EXPECT_EQ(route_request("/r/team-1"), index_route());
  EXPECT_EQ(route_request("/r/" + std::string(64, 'a')), index_route());
}

TEST(HttpRoutes, RoomPagesNeedAValidSlug) {
  EXPECT_EQ(route_request("/r/"), kNotFound);
  EXPECT_EQ(route_request("/r"), kNotFound);
  EXPECT_EQ(route_request("/r/" + std::string(65, 'a')), kNotFound);
  EXPECT_EQ(route_request("/r/Team"), kNotFound);
  EXPECT_EQ(route_request("/r/a_b"), kNotFound);
  EXPECT_EQ(route_request("/r/abc/"), kNotFound);
  EXPECT_EQ(route_request("/r/abc/def"), kNotFound);
  EXPECT_EQ(route_request("/r/.."), kNotFound);
}

TEST(HttpRoutes, StaticFilesByExtension) {
  EXPECT_EQ(route_request("/app.js"), file("app.js"));
  EXPECT_EQ(route_request("/style.css"), file("style.css"));
  EXPECT_EQ(route_request("/favicon.svg"), file("favicon.svg"));
  EXPECT_EQ(route_request("/favicon.ico"), file("favicon.ico"));
  EXPECT_EQ(route_request("/js/ui.mjs"), file("js/ui.mjs"));
  EXPECT_EQ(route_request("/app%2Ejs"), file("app.js"));
  EXPECT_EQ(route_request("/README"), kNotFound);      // no extension
  EXPECT_EQ(route_request("/server.pem"), kNotFound);  // not a type we serve
  EXPECT_EQ(route_request("/app.js.bak"), kNotFound);
}

TEST(HttpRoutes, SpecialPages) {
  EXPECT_EQ(route_request("/imprint"), (Route{RouteKind::kImprint, {}}));
  EXPECT_EQ(route_request("/privacy"), (Route{RouteKind::kPrivacy, {}}));
  EXPECT_EQ(route_request("/ws"), (Route{RouteKind::kWebSocket, {}}));
  EXPECT_EQ(route_request("/imprint/"), kNotFound);
  EXPECT_EQ(route_request("/imprint.html"), file("imprint.html"));  // a web-root file, if any
}

TEST(HttpRoutes, TraversalIsRefused) {
  for (const char* path : {"/..",
                           "/../",
                           "/../etc/passwd",
                           "/a/../app.js",
                           "/./app.js",
                           "/%2e%2e/",
                           "/%2E%2E/etc/passwd",
                           "/%2e%2e%2fetc%2fpasswd",
                           "/..%2f..%2fetc%2fpasswd",
                           "/.%2e/app.js",
                           "/r/%2e%2e",
                           "/..\\app.js",
                           "/%5c..%5capp.js",
                           "//etc/passwd.txt",
                           "/js//app.js",
                           "/.hidden.js",
                           "/js/.env.json",
                           "/app.js%00.css",
                           "/%",
                           "/%2",
                           "/%zz.js",
                           "",
                           "app.js"}) {
    EXPECT_EQ(route_request(path), kNotFound) << path;
  }
}

TEST(HttpRoutes, PercentDecoding) {
  EXPECT_EQ(percent_decode("/a%20b%2Fc"), "/a b/c");
  EXPECT_EQ(percent_decode("plain"), "plain");
  EXPECT_EQ(percent_decode("%41%62"), "Ab");
  EXPECT_EQ(percent_decode("%"), std::nullopt);
  EXPECT_EQ(percent_decode("%4"), std::nullopt);
  EXPECT_EQ(percent_decode("%4g"), std::nullopt);
  EXPECT_EQ(percent_decode("a%00b"), std::nullopt);
}

TEST(HttpRoutes, ContentTypes) {
  EXPECT_EQ(static_content_type("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(static_content_type("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(static_content_type("js/a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(static_content_type("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(static_content_type("favicon.svg"), "image/svg+xml");
  EXPECT_EQ(static_content_type("favicon.ico"), "image/x-icon");
  EXPECT_EQ(static_content_type("logo.png"), "image/png");
  EXPECT_EQ(static_content_type("key.pem"), "");
  EXPECT_EQ(static_content_type("Makefile"), "");
  EXPECT_EQ(static_content_type("dir.js/file"), "");  // the extension is the file name's
}

TEST(HttpRoutes, DocumentTypes) {
  EXPECT_EQ(document_content_type("imprint.html"), "text/html; charset=utf-8");
  EXPECT_EQ(document_content_type("privacy.htm"), "text/html; charset=utf-8");
  EXPECT_EQ(document_content_type("imprint.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(document_content_type("imprint"), "text/plain; charset=utf-8");
  EXPECT_EQ(document_content_type("notes.md"), "text/plain; charset=utf-8");
}

TEST(HttpRoutes, OriginMustBeThisServer) {
  EXPECT_TRUE(origin_allowed("", "meet.example.org"));  // not a browser
  EXPECT_TRUE(origin_allowed("https://meet.example.org", "meet.example.org"));
  EXPECT_TRUE(origin_allowed("https://127.0.0.1:8443", "127.0.0.1:8443"));
  EXPECT_TRUE(origin_allowed("https://Meet.Example.org", "meet.example.ORG"));
  EXPECT_FALSE(origin_allowed("http://meet.example.org", "meet.example.org"));
  EXPECT_FALSE(origin_allowed("https://evil.example", "meet.example.org"));
  EXPECT_FALSE(origin_allowed("https://meet.example.org.evil.example", "meet.example.org"));
  EXPECT_FALSE(origin_allowed("https://127.0.0.1:8444", "127.0.0.1:8443"));
  EXPECT_FALSE(origin_allowed("null", "meet.example.org"));
  EXPECT_FALSE(origin_allowed("https://meet.example.org", ""));
}

TEST(HttpRoutes, PageHostIsADnsNameOrNothing) {
  EXPECT_EQ(page_host("meet.example.org"), "meet.example.org");
  EXPECT_EQ(page_host("Meet.Example.ORG:443"), "meet.example.org");
  EXPECT_EQ(page_host("meet.example.org.:8443"), "meet.example.org");
  EXPECT_EQ(page_host("localhost:8443"), "localhost");
  EXPECT_EQ(page_host("xn--mnchen-3ya.example"), "xn--mnchen-3ya.example");
  EXPECT_EQ(page_host("127.0.0.1:8443"), "");  // address literals
  EXPECT_EQ(page_host("[::1]:8443"), "");
  EXPECT_EQ(page_host("[fd00::1]"), "");
  EXPECT_EQ(page_host(""), "");
  EXPECT_EQ(page_host(":443"), "");
  EXPECT_EQ(page_host("a..b"), "");
  EXPECT_EQ(page_host(".example.org"), "");
  EXPECT_EQ(page_host("meet example.org"), "");  // what a URL must not hold
  EXPECT_EQ(page_host("meet.example.org/x"), "");
  EXPECT_EQ(page_host("user@meet.example.org"), "");
  EXPECT_EQ(page_host("meet.example.org?transport=udp"), "");
  EXPECT_EQ(page_host(std::string(254, 'a')), "");
  EXPECT_EQ(page_host(std::string("me\0et", 5)), "");
}

TEST(HttpRoutes, SecurityHeaders) {
  std::string csp;
  bool nosniff = false, hsts = false, referrer = false, permissions = false;
  for (const HttpHeader& h : security_headers()) {
    std::string name = h.name;
    ASSERT_EQ(name.back(), ':') << name;
    if (name == "content-security-policy:") csp = h.value;
    nosniff |= name == "x-content-type-options:" && std::string(h.value) == "nosniff";
    hsts |= name == "strict-transport-security:" && std::string(h.value) == "max-age=31536000";
    referrer |= name == "referrer-policy:" && std::string(h.value) == "no-referrer";
    permissions |=
        name == "permissions-policy:" &&
        std::string(h.value) == "camera=(self), microphone=(self), display-capture=(self)";
  }
  EXPECT_EQ(csp,
            "default-src 'self'; connect-src 'self' wss:; img-src 'self' data:; "
            "media-src 'self' blob:; style-src 'self'; script-src 'self'; object-src 'none'; "
            "frame-ancestors 'none'; base-uri 'none'");
  EXPECT_TRUE(nosniff && hsts && referrer && permissions);
}

}  // namespace
}  // namespace turnd::sfu::signal

namespace turnd::sfu::signal {
namespace {

TEST(HttpsLocation, TheHostTheClientNamedOnTheWebPort) {
  EXPECT_EQ(https_location("meet.example.org", "/r/team", 443), "https://meet.example.org/r/team");
  EXPECT_EQ(https_location("Meet.Example.org:80", "/", 8443), "https://meet.example.org:8443/");
  EXPECT_EQ(https_location("192.0.2.7:80", "/r/a", 443), "https://192.0.2.7/r/a");
  EXPECT_EQ(https_location("[2001:db8::1]:80", "/x", 443), "https://[2001:db8::1]/x");
}

TEST(HttpsLocation, NothingElseIsRedirected) {
  EXPECT_EQ(https_location("", "/", 443), "");
  EXPECT_EQ(https_location("evil\r\nSet-Cookie: a=b", "/", 443), "");
  EXPECT_EQ(https_location("[2001:db8::1", "/", 443), "");
  EXPECT_EQ(https_location("[192.0.2.1]", "/", 443), "");
  EXPECT_EQ(https_location("999.0.0.1", "/", 443), "");
  // A path that is not plain visible ASCII becomes "/".
  EXPECT_EQ(https_location("meet.example.org", "/a b", 443), "https://meet.example.org/");
  EXPECT_EQ(https_location("meet.example.org", "/a\r\nX: y", 443), "https://meet.example.org/");
  EXPECT_EQ(https_location("meet.example.org", "r/team", 443), "https://meet.example.org/");
}

}  // namespace
}  // namespace turnd::sfu::signal

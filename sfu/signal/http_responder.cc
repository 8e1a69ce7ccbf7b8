// The HTTP side of SignalServer: GET only; files of the web root, the
// admin's documents, and short plain-text replies for everything else. The
// security headers of http_routes.cc come with every response through the
// vhost's header list.
#include <algorithm>
#include <array>
#include <cstring>
#include <string>
#include <system_error>

#include "sfu/signal/http_routes.h"
#include "sfu/signal/server_impl.h"
#include "turnd/common/log.h"

namespace turnd::sfu::signal {
namespace {

constexpr const char* kNotFound = "Not found.\n";
constexpr const char* kGetOnly = "Only GET is supported here.\n";
constexpr const char* kNoImprint = "No imprint has been configured on this server.\n";
constexpr const char* kNoHost = "Say which host you want (a Host header with its name).\n";
constexpr const char* kNoPrivacy = "No privacy notice has been configured on this server.\n";

bool within(const std::filesystem::path& file, const std::filesystem::path& root) {
  return std::mismatch(root.begin(), root.end(), file.begin(), file.end()).first == root.end();
}

}  // namespace

int SignalServer::Impl::on_http(lws* wsi, std::string_view path) {
  if (redirect_only(wsi)) return redirect_to_https(wsi, path);
  if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) <= 0) {
    return reply_text(wsi, HTTP_STATUS_METHOD_NOT_ALLOWED, kGetOnly, true);
  }
  Route route = route_request(path);
  switch (route.kind) {
    case RouteKind::kIndex:
      return serve_file(wsi, web_root_ / route.file, static_content_type(route.file), "no-store",
                        true);
    case RouteKind::kStatic:
      return serve_file(wsi, web_root_ / route.file, static_content_type(route.file), "no-cache",
                        true);
    case RouteKind::kImprint:
      if (options_.imprint_file.empty()) {
        return reply_text(wsi, HTTP_STATUS_NOT_FOUND, kNoImprint, false);
      }
      return serve_document(wsi, options_.imprint_file, "imprint");
    case RouteKind::kPrivacy:
      if (options_.privacy_file.empty()) {
        return reply_text(wsi, HTTP_STATUS_NOT_FOUND, kNoPrivacy, false);
      }
      return serve_document(wsi, options_.privacy_file, "privacy notice");
    case RouteKind::kWebSocket:  // a plain GET of the WebSocket's path
    case RouteKind::kNotFound:
      break;
  }
  return reply_text(wsi, HTTP_STATUS_NOT_FOUND, kNotFound, false);
}

int SignalServer::Impl::serve_document(lws* wsi, const std::filesystem::path& file,
                                       const char* what) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    LOG_WARN("signal", "the %s file %s is missing", what, file.c_str());
    return reply_text(wsi, HTTP_STATUS_NOT_FOUND, kNotFound, false);
  }
  return serve_file(wsi, file, document_content_type(file.filename().string()), "no-cache", false);
}

// `in_web_root`: the file must really be inside the web root (no symbolic
// link out of it).
int SignalServer::Impl::serve_file(lws* wsi, const std::filesystem::path& file,
                                   std::string_view content_type, const char* cache_control,
                                   bool in_web_root) {
  std::error_code ec;
  std::filesystem::path real = std::filesystem::canonical(file, ec);
  if (ec || !std::filesystem::is_regular_file(real, ec) ||
      (in_web_root && !within(real, web_root_))) {
    return reply_text(wsi, HTTP_STATUS_NOT_FOUND, kNotFound, false);
  }
  unsigned char extra[256];
  unsigned char* p = extra;
  if (lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>("cache-control:"),
                                  reinterpret_cast<const unsigned char*>(cache_control),
                                  static_cast<int>(std::strlen(cache_control)), &p,
                                  extra + sizeof(extra))) {
    return -1;
  }
  std::string type(content_type);
  int n = lws_serve_http_file(wsi, real.c_str(), type.c_str(), reinterpret_cast<char*>(extra),
                              static_cast<int>(p - extra));
  if (n < 0 || (n > 0 && lws_http_transaction_completed(wsi))) return -1;
  return 0;
}

// A short plain-text reply, written at once (headers and body in the same
// callback). `close`: then close the connection, e.g. because an unread
// request body follows.
// Plain HTTP on the redirect port: 308 to the same path over https, on the
// host the client named (web-redirect-port, docs/ADMIN.md).
int SignalServer::Impl::redirect_to_https(lws* wsi, std::string_view path) {
  char host[256] = "";
  if (lws_hdr_copy(wsi, host, sizeof(host), WSI_TOKEN_HOST) < 0) host[0] = '\0';
  std::string location = https_location(host, path, local_.port());
  if (location.empty()) return reply_text(wsi, HTTP_STATUS_BAD_REQUEST, kNoHost, true);
  unsigned char buf[LWS_PRE + 3072];
  unsigned char *start = buf + LWS_PRE, *p = start, *end = buf + sizeof(buf) - 1;
  if (lws_add_http_common_headers(wsi, 308, "text/plain; charset=utf-8", 0, &p, end) ||
      lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_LOCATION,
                                   reinterpret_cast<const unsigned char*>(location.data()),
                                   static_cast<int>(location.size()), &p, end) ||
      lws_finalize_write_http_header(wsi, start, &p, end)) {
    return -1;
  }
  return lws_http_transaction_completed(wsi) ? -1 : 0;
}

int SignalServer::Impl::reply_text(lws* wsi, unsigned status, const char* body, bool close) {
  unsigned char buf[LWS_PRE + 2048];
  unsigned char *start = buf + LWS_PRE, *p = start, *end = buf + sizeof(buf) - 1;
  static constexpr char kNoStore[] = "no-store";
  size_t len = std::strlen(body);
  if (lws_add_http_common_headers(wsi, status, "text/plain; charset=utf-8", len, &p, end) ||
      lws_add_http_header_by_name(wsi, reinterpret_cast<const unsigned char*>("cache-control:"),
                                  reinterpret_cast<const unsigned char*>(kNoStore),
                                  sizeof(kNoStore) - 1, &p, end) ||
      lws_finalize_write_http_header(wsi, start, &p, end)) {
    return -1;
  }
  std::array<unsigned char, LWS_PRE + 256> text{};
  if (len > text.size() - LWS_PRE) return -1;
  std::copy_n(body, len, text.begin() + LWS_PRE);
  if (lws_write(wsi, text.data() + LWS_PRE, len, LWS_WRITE_HTTP_FINAL) != static_cast<int>(len)) {
    return -1;
  }
  if (close) return -1;
  return lws_http_transaction_completed(wsi) ? -1 : 0;
}

}  // namespace turnd::sfu::signal

#include "sfu/signal/http_routes.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "turnd/common/address.h"

namespace turnd::sfu::signal {
namespace {

constexpr size_t kMaxSlugChars = 64;  // db/rooms.h: 1-64 of a-z, 0-9 and '-'

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_slug(std::string_view s) noexcept {
  if (s.empty() || s.size() > kMaxSlugChars) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// A segment of a static file's path: letters, digits, '-', '_', '.', not
// starting with '.' (no "..", no dot files).
bool is_safe_segment(std::string_view s) noexcept {
  if (s.empty() || s.front() == '.') return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string_view extension(std::string_view file_name) noexcept {
  size_t slash = file_name.rfind('/');
  std::string_view base = slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  size_t dot = base.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : base.substr(dot + 1);
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kContentTypes{{
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"ico", "image/x-icon"},
    {"png", "image/png"},
    {"webp", "image/webp"},
    {"json", "application/json"},
    {"txt", "text/plain; charset=utf-8"},
    {"woff2", "font/woff2"},
}};

constexpr std::array<HttpHeader, 5> kSecurityHeaders{{
    {"content-security-policy:",
     "default-src 'self'; connect-src 'self' wss:; img-src 'self' data:; "
     "media-src 'self' blob:; style-src 'self'; script-src 'self'; object-src 'none'; "
     "frame-ancestors 'none'; base-uri 'none'"},
    {"x-content-type-options:", "nosniff"},
    {"referrer-policy:", "no-referrer"},
    {"strict-transport-security:", "max-age=31536000"},
    {"permissions-policy:", "camera=(self), microphone=(self), display-capture=(self)"},
}};

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    char c = static_cast<char>(hi * 16 + lo);
    if (c == '\0') return std::nullopt;
    out.push_back(c);
    i += 2;
  }
  return out;
}

Route route_request(std::string_view raw_path) {
  auto decoded = percent_decode(raw_path);
  if (!decoded || decoded->empty() || decoded->front() != '/') return {};
  std::string_view path = *decoded;
  if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
    return {};
  }
  if (path == "/" || path == "/index.html") return {RouteKind::kIndex, std::string(kIndexFile)};
  if (path == "/imprint") return {RouteKind::kImprint, {}};
  if (path == "/privacy") return {RouteKind::kPrivacy, {}};
  if (path == kWebSocketPath) return {RouteKind::kWebSocket, {}};
  if (path.starts_with("/r/")) {
    if (is_slug(path.substr(3))) return {RouteKind::kIndex, std::string(kIndexFile)};
    return {};
  }
  // A static file: every segment safe, and an extension we serve.
  std::string_view rest = path.substr(1);
  for (size_t start = 0; start <= rest.size();) {
    size_t end = rest.find('/', start);
    if (end == std::string_view::npos) end = rest.size();
    if (!is_safe_segment(rest.substr(start, end - start))) return {};
    start = end + 1;
  }
  if (static_content_type(rest).empty()) return {};
  return {RouteKind::kStatic, std::string(rest)};
}

std::string_view static_content_type(std::string_view file_name) {
  std::string_view ext = extension(file_name);
  for (const auto& [known, type] : kContentTypes) {
    if (ext == known) return type;
  }
  return {};
}

std::string_view document_content_type(std::string_view file_name) {
  std::string_view ext = extension(file_name);
  if (ext == "html" || ext == "htm") return "text/html; charset=utf-8";
  return "text/plain; charset=utf-8";
}

bool origin_allowed(std::string_view origin, std::string_view host) {
  if (origin.empty()) return true;
  if (host.empty()) return false;
  constexpr std::string_view kScheme = "https://";
  if (!origin.starts_with(kScheme)) return false;
  std::string_view rest = origin.substr(kScheme.size());
  if (rest.size() != host.size()) return false;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(rest[i])) !=
        std::tolower(static_cast<unsigned char>(host[i]))) {
      return false;
    }
  }
  return true;
}

std::string page_host(std::string_view header) {
  std::string_view name = header.substr(0, header.find(':'));  // no port (IPv6 literals fail below)
  if (name.ends_with('.')) name.remove_suffix(1);
  if (name.empty() || name.size() > 253) return {};
  bool letter = false;
  std::string out;
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalpha(c)) {
      letter = true;
    } else if (!std::isdigit(c) && c != '-' && c != '.') {
      return {};
    }
    out.push_back(static_cast<char>(std::tolower(c)));
  }
  // All digits and dots is an IPv4 literal; labels may not be empty.
  if (!letter || out.front() == '.' || out.find("..") != std::string::npos) return {};
  return out;
}

std::string https_location(std::string_view header, std::string_view path, uint16_t port) {
  std::string host;
  if (header.starts_with('[')) {
    size_t close = header.find(']');
    if (close == std::string_view::npos) return {};
    auto v6 = SocketAddress::parse(header.substr(1, close - 1));
    if (!v6 || !v6->is_v6()) return {};
    host = std::string(header.substr(0, close + 1));
  } else {
    std::string_view name = header.substr(0, header.find(':'));
    host = page_host(name);
    if (host.empty()) {
      auto v4 = SocketAddress::parse(name);
      if (!v4 || !v4->is_v4()) return {};
      host = std::string(name);
    }
  }
  bool plain = path.starts_with('/') && path.size() <= 2048 &&
               std::all_of(path.begin(), path.end(), [](char c) { return c > 0x20 && c < 0x7F; });
  std::string out = "https://" + host;
  if (port != 443) out += ":" + std::to_string(port);
  return out + (plain ? std::string(path) : std::string("/"));
}

std::span<const HttpHeader> security_headers() {
  return kSecurityHeaders;
}

}  // namespace turnd::sfu::signal

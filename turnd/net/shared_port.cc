#include "turnd/net/shared_port.h"

#include <strings.h>

namespace turnd::net {
namespace {

constexpr uint32_t kMagicCookie = 0x2112A442;  // RFC 8489 §5
constexpr size_t kLongestMethod = 16;          // RFC 9110 methods are tokens; real ones are short

bool same_name(std::string_view sent, const std::string& configured) noexcept {
  return !configured.empty() && sent.size() == configured.size() &&
         ::strncasecmp(sent.data(), configured.data(), sent.size()) == 0;
}

}  // namespace

HelloRoute route_hello(const ClientHello& hello, const SharedPortNames& names) noexcept {
  // Names route only when the admin gave two different ones.
  bool by_name = !names.web.empty() && !names.turn.empty() && !same_name(names.web, names.turn);
  if (by_name && same_name(hello.server_name, names.turn)) return HelloRoute::kTurn;
  if (by_name && same_name(hello.server_name, names.web)) return HelloRoute::kWeb;
  if (hello.offers("stun.turn")) return HelloRoute::kTurn;  // RFC 7443 §3
  if (hello.offers("http/1.1") || hello.offers("h2")) return HelloRoute::kWeb;
  return HelloRoute::kAfterHandshake;  // no ALPN, or another one ("c-webrtc": Firefox's TURN)
}

FirstBytes classify_first_bytes(Bytes head) noexcept {
  if (head.empty()) return FirstBytes::kNeedMore;
  auto first = static_cast<uint8_t>(head[0]);
  if ((first & 0xC0) == 0) {
    if (head.size() < 8) return FirstBytes::kNeedMore;
    return load_be32(head.data() + 4) == kMagicCookie ? FirstBytes::kTurn : FirstBytes::kOther;
  }
  // An HTTP method: upper-case letters, then one space (RFC 9112 §3).
  for (size_t i = 0; i < head.size(); ++i) {
    auto c = static_cast<char>(head[i]);
    if (c == ' ') return i > 0 ? FirstBytes::kHttp : FirstBytes::kOther;
    if (c < 'A' || c > 'Z' || i >= kLongestMethod) return FirstBytes::kOther;
  }
  return FirstBytes::kNeedMore;
}

}  // namespace turnd::net

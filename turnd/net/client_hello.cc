#include "turnd/net/client_hello.h"

#include <cstring>

namespace turnd::net {
namespace {

constexpr std::byte kRecordHandshake{22};
constexpr std::byte kHandshakeClientHello{1};
constexpr size_t kRecordHeader = 5;     // type, legacy_record_version, length
constexpr size_t kMaxRecord = 1 << 14;  // RFC 8446 §5.1: plaintext fragments
constexpr uint16_t kExtensionServerName = 0;
constexpr uint16_t kExtensionAlpn = 16;

// A bounds-checked reader over one message.
class Reader {
 public:
  explicit Reader(Bytes data) : data_(data) {}
  bool skip(size_t n) noexcept {
    if (n > data_.size()) return fail();
    data_ = data_.subspan(n);
    return true;
  }
  bool u8(size_t& v) noexcept {
    if (data_.empty()) return fail();
    v = static_cast<size_t>(data_[0]);
    data_ = data_.subspan(1);
    return true;
  }
  bool u16(size_t& v) noexcept {
    if (data_.size() < 2) return fail();
    v = load_be16(data_.data());
    data_ = data_.subspan(2);
    return true;
  }
  bool bytes(size_t n, Bytes& out) noexcept {
    if (n > data_.size()) return fail();
    out = data_.first(n);
    data_ = data_.subspan(n);
    return true;
  }
  bool empty() const noexcept { return data_.empty(); }
  bool ok() const noexcept { return ok_; }

 private:
  bool fail() noexcept {
    ok_ = false;
    return false;
  }
  Bytes data_;
  bool ok_ = true;
};

// RFC 6066 §3: ServerNameList, the first host_name(0) entry.
bool read_server_name(Bytes body, std::string_view& name) noexcept {
  Reader r(body);
  size_t list = 0;
  Bytes entries;
  if (!r.u16(list) || !r.bytes(list, entries) || !r.empty()) return false;
  Reader e(entries);
  while (!e.empty()) {
    size_t type = 0, length = 0;
    Bytes value;
    if (!e.u8(type) || !e.u16(length) || !e.bytes(length, value)) return false;
    if (type == 0 && name.empty()) name = as_string(value);
  }
  return true;
}

// RFC 7301 §3.1: ProtocolNameList, each ProtocolName<1..2^8-1>.
bool read_alpn(Bytes body, Bytes& list) noexcept {
  Reader r(body);
  size_t length = 0;
  if (!r.u16(length) || length < 2 || !r.bytes(length, list) || !r.empty()) return false;
  Reader names(list);
  while (!names.empty()) {
    size_t n = 0;
    if (!names.u8(n) || n == 0 || !names.skip(n)) return false;
  }
  return true;
}

// RFC 8446 §4.1.2 ClientHello body (after the 4-byte handshake header).
bool read_hello(Bytes body, ClientHello& hello) noexcept {
  Reader r(body);
  size_t session_id = 0, suites = 0, compression = 0;
  if (!r.skip(2 + 32) || !r.u8(session_id) || session_id > 32 || !r.skip(session_id) ||
      !r.u16(suites) || suites < 2 || !r.skip(suites) || !r.u8(compression) || compression < 1 ||
      !r.skip(compression)) {
    return false;
  }
  if (r.empty()) return true;  // no extensions (SSL 3.0-era clients)
  size_t length = 0;
  Bytes extensions;
  if (!r.u16(length) || !r.bytes(length, extensions) || !r.empty()) return false;
  Reader e(extensions);
  bool seen_name = false;
  while (!e.empty()) {
    size_t type = 0, size = 0;
    Bytes value;
    if (!e.u16(type) || !e.u16(size) || !e.bytes(size, value)) return false;
    if (type == kExtensionServerName) {
      if (seen_name || !read_server_name(value, hello.server_name)) return false;
      seen_name = true;
    } else if (type == kExtensionAlpn) {
      if (hello.has_alpn || !read_alpn(value, hello.alpn_list)) return false;
      hello.has_alpn = true;
    }
  }
  return true;
}

}  // namespace

bool ClientHello::offers(std::string_view protocol) const noexcept {
  Bytes rest = alpn_list;
  while (!rest.empty()) {
    size_t n = static_cast<size_t>(rest[0]);
    if (1 + n > rest.size()) return false;
    if (as_string(rest.subspan(1, n)) == protocol) return true;
    rest = rest.subspan(1 + n);
  }
  return false;
}

HelloStatus parse_client_hello(Bytes stream, MutableBytes scratch, ClientHello& hello) noexcept {
  hello = ClientHello{};
  if (stream.empty()) return HelloStatus::kNeedMore;
  if (stream[0] != kRecordHandshake) return HelloStatus::kNotTls;
  // Gather the handshake bytes of consecutive records until the message's
  // own length (its 4-byte header) is covered.
  size_t gathered = 0;
  size_t wanted = 0;  // 0 until the handshake header has been seen
  while (wanted == 0 || gathered < wanted) {
    if (stream.size() < kRecordHeader) return HelloStatus::kNeedMore;
    if (stream[0] != kRecordHandshake) return HelloStatus::kInvalid;
    if (stream[1] != std::byte{3})
      return gathered == 0 ? HelloStatus::kNotTls : HelloStatus::kInvalid;
    size_t length = load_be16(stream.data() + 3);
    if (length == 0 || length > kMaxRecord) return HelloStatus::kInvalid;
    if (stream.size() < kRecordHeader + length) return HelloStatus::kNeedMore;
    if (gathered + length > scratch.size()) return HelloStatus::kInvalid;
    std::memcpy(scratch.data() + gathered, stream.data() + kRecordHeader, length);
    gathered += length;
    stream = stream.subspan(kRecordHeader + length);
    if (wanted == 0 && gathered >= 4) {
      if (scratch[0] != kHandshakeClientHello) return HelloStatus::kInvalid;
      size_t body = (static_cast<size_t>(scratch[1]) << 16) |
                    (static_cast<size_t>(scratch[2]) << 8) | static_cast<size_t>(scratch[3]);
      wanted = 4 + body;
      if (wanted > scratch.size() || wanted > kMaxClientHello) return HelloStatus::kInvalid;
    }
  }
  // Bytes after the message in its last record would be a second handshake
  // message, which no client sends before the server's reply.
  if (gathered != wanted) return HelloStatus::kInvalid;
  Bytes body = Bytes(scratch.data(), wanted).subspan(4);
  if (!read_hello(body, hello)) {
    hello = ClientHello{};
    return HelloStatus::kInvalid;
  }
  return HelloStatus::kComplete;
}

}  // namespace turnd::net

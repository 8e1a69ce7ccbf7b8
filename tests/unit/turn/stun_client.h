// TestClient: a small STUN/TURN client for turn::Server unit tests. It builds
// requests with MessageBuilder, signs them with long-term credentials
// (USERNAME, REALM and NONCE from the 401 challenge, MESSAGE-INTEGRITY with the
// MD5 key from auth::md5_key), hands them to a Harness's Server as one
// datagram or frame, and reads the answers with MessageView (Message).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/unit/turn/fakes.h"
#include "turnd/auth/keys.h"
#include "turnd/stun/attr/address.h"
#include "turnd/stun/attr/channel_number.h"
#include "turnd/stun/attr/error_code.h"
#include "turnd/stun/attr/lifetime.h"
#include "turnd/stun/attr/requested_transport.h"
#include "turnd/stun/attr/unknown_attributes.h"
#include "turnd/stun/attr/xor_peer_address.h"
#include "turnd/stun/integrity.h"
#include "turnd/stun/message.h"

namespace turnd::turn::test {

// Adds attributes to a request being built.
using Attrs = std::function<void(stun::MessageBuilder&)>;

// An owned copy of a STUN message with its parsed view.
class Message {
 public:
  Message() = default;
  explicit Message(Bytes bytes) : bytes_(to_vector(bytes)) { parse(); }
  Message(const Message& other) : bytes_(other.bytes_) { parse(); }
  Message& operator=(const Message& other) {
    if (this != &other) {
      bytes_ = other.bytes_;
      parse();
    }
    return *this;
  }

  bool valid() const noexcept { return valid_; }
  const stun::MessageView& view() const noexcept { return view_; }
  Bytes bytes() const noexcept { return bytes_; }

  bool is(stun::Method method, stun::MessageClass cls) const noexcept {
    return valid_ && view_.is(method, cls);
  }
  bool is_success(stun::Method method) const noexcept {
    return is(method, stun::MessageClass::kSuccessResponse);
  }
  bool is_error(stun::Method method) const noexcept {
    return is(method, stun::MessageClass::kErrorResponse);
  }
  stun::TransactionId transaction_id() const noexcept {
    return valid_ ? view_.transaction_id_copy() : stun::TransactionId{};
  }

  // The ERROR-CODE number; 0 when there is none.
  uint16_t error_code() const noexcept {
    stun::ErrorCode error;
    if (!valid_ || stun::ErrorCode::get_from(view_, error) != stun::DecodeStatus::kOk) return 0;
    return error.code;
  }
  bool has(uint16_t type) const noexcept { return valid_ && view_.find(type).has_value(); }
  size_t count(uint16_t type) const noexcept {
    size_t n = 0;
    if (valid_) {
      view_.for_each([&](const stun::Attribute& a) {
        n += a.type == type;
        return true;
      });
    }
    return n;
  }
  ByteVector value(uint16_t type) const {
    if (!valid_) return {};
    auto found = view_.find(type);
    return found ? to_vector(found->value) : ByteVector{};
  }
  std::string text(uint16_t type) const {
    ByteVector v = value(type);
    return std::string(as_string(v));
  }
  // Every instance of an XOR-ed address attribute, in order.
  std::vector<SocketAddress> xor_addresses(uint16_t type) const {
    std::vector<SocketAddress> out;
    if (!valid_) return out;
    view_.for_each([&](const stun::Attribute& a) {
      SocketAddress address;
      if (a.type == type && stun::decode_address(a.value, true, view_.transaction_id(), address) ==
                                stun::DecodeStatus::kOk) {
        out.push_back(address);
      }
      return true;
    });
    return out;
  }
  std::optional<SocketAddress> xor_address(uint16_t type) const {
    auto all = xor_addresses(type);
    if (all.empty()) return std::nullopt;
    return all.front();
  }
  std::optional<uint32_t> lifetime() const noexcept {
    stun::Lifetime lifetime;
    if (!valid_ || stun::Lifetime::get_from(view_, lifetime) != stun::DecodeStatus::kOk) {
      return std::nullopt;
    }
    return lifetime.seconds;
  }
  std::vector<uint16_t> unknown_attributes() const {
    stun::UnknownAttributes unknown;
    if (!valid_ || stun::UnknownAttributes::get_from(view_, unknown) != stun::DecodeStatus::kOk) {
      return {};
    }
    return std::vector<uint16_t>(unknown.types.begin(), unknown.types.begin() + unknown.count);
  }
  bool integrity_ok(stun::MacContext& mac, Bytes key) const noexcept {
    return valid_ && stun::verify_integrity(mac, view_, key);
  }
  bool fingerprint_ok() const noexcept { return valid_ && stun::verify_fingerprint(view_); }

  // "Allocate error 437" and the like, for failure messages.
  std::string summary() const {
    if (!valid_) return "<no STUN message>";
    static const char* kClasses[] = {"request", "indication", "success", "error"};
    std::string out = "method 0x" + std::to_string(view_.method()) + " " +
                      kClasses[static_cast<int>(view_.message_class())];
    if (uint16_t code = error_code()) out += " " + std::to_string(code);
    return out;
  }

 private:
  void parse() noexcept {
    view_ = stun::MessageView();
    valid_ = stun::MessageView::parse(bytes_, view_) == stun::ParseResult::kOk;
  }

  ByteVector bytes_;
  stun::MessageView view_;
  bool valid_ = false;
};

inline std::ostream& operator<<(std::ostream& os, const Message& m) {
  return os << m.summary();
}

// A ChannelData message (RFC 8656 §12.4) as the client received it.
struct ChannelDataFrame {
  bool valid = false;
  uint16_t number = 0;
  uint16_t length = 0;
  ByteVector payload;    // `length` bytes
  ByteVector padding;    // whatever follows the payload in the frame
  size_t wire_size = 0;  // the whole frame, padding included
};

inline ChannelDataFrame parse_channel_data(Bytes frame) {
  ChannelDataFrame out;
  out.wire_size = frame.size();
  if (frame.size() < stun::kChannelDataHeaderSize) return out;
  out.number = load_be16(frame.data());
  out.length = load_be16(frame.data() + 2);
  if (stun::kChannelDataHeaderSize + out.length > frame.size()) return out;
  out.payload = to_vector(frame.subspan(stun::kChannelDataHeaderSize, out.length));
  out.padding = to_vector(frame.subspan(stun::kChannelDataHeaderSize + out.length));
  out.valid = (static_cast<uint8_t>(frame[0]) & 0xC0) == 0x40;
  return out;
}

// How TestClient::build() forms a request.
struct RequestOptions {
  bool sign = true;  // add the credentials and MESSAGE-INTEGRITY
  bool with_username = true;
  bool with_realm = true;
  bool with_nonce = true;
  bool fingerprint = false;
  std::optional<stun::TransactionId> transaction_id;  // default: a fresh one
  std::optional<std::string> password;                // default: the client's
  Attrs after_integrity;                              // appended after MESSAGE-INTEGRITY
};

class TestClient {
 public:
  TestClient(Harness& harness, FiveTuple tuple, std::string username = "alice",
             std::string password = "alice-pass")
      : username(std::move(username)), password(std::move(password)), h_(harness), tuple_(tuple) {}
  TestClient(Harness& harness, std::string_view client, std::string username = "alice",
             std::string password = "alice-pass", ClientTransport transport = ClientTransport::kUdp)
      : TestClient(harness, make_tuple(client, transport), std::move(username),
                   std::move(password)) {}
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  std::string username;
  std::string password;
  std::string realm;              // from the last challenge
  std::string nonce;              // from the last challenge
  bool retry_stale_nonce = true;  // request(): answer a 438 with the new NONCE once

  const FiveTuple& tuple() const noexcept { return tuple_; }
  stun::MacContext& mac() noexcept { return mac_; }
  const LinkLog& link_log() const noexcept { return *link_.log(); }
  const Allocation* allocation() const noexcept { return h_.server.find(tuple_); }

  // The long-term key (RFC 8489 §9.2.2) of `user` (default: this client's).
  ByteVector key(std::optional<std::string> pass = std::nullopt) const {
    auto md5 = auth::md5_key(username, kRealm, pass.value_or(password));
    return ByteVector(reinterpret_cast<const std::byte*>(md5.data()),
                      reinterpret_cast<const std::byte*>(md5.data()) + md5.size());
  }

  ByteVector build(stun::Method method, const Attrs& attrs, const RequestOptions& options = {}) {
    ByteVector buffer(4096);
    stun::TransactionId id = options.transaction_id.value_or(h_.next_transaction_id());
    stun::MessageBuilder b(buffer, method, stun::MessageClass::kRequest, id.bytes);
    if (attrs) attrs(b);
    if (options.sign) {
      if (options.with_username) b.add(stun::attr::kUsername, as_bytes(username));
      if (options.with_realm) b.add(stun::attr::kRealm, as_bytes(realm));
      if (options.with_nonce) b.add(stun::attr::kNonce, as_bytes(nonce));
      b.add_message_integrity(mac_, key(options.password));
    }
    if (options.after_integrity) options.after_integrity(b);
    if (options.fingerprint) b.add_fingerprint();
    EXPECT_TRUE(b.ok());
    buffer.resize(b.size());
    return buffer;
  }

  // Hands `bytes` to the Server as one datagram (or frame) from this client
  // and returns whatever the Server sent this client meanwhile.
  std::vector<ByteVector> send_raw(ByteVector bytes) {
    if (is_stream(tuple_.transport)) {
      h_.server.on_client_packet(tuple_, link_, bytes);
    } else {
      FakeLink datagram_link(link_.log());  // a UDP link lives for one datagram
      h_.server.on_client_packet(tuple_, datagram_link, bytes);
    }
    return take_received();
  }

  // Sends and expects exactly one STUN message back.
  Message transact(ByteVector bytes) {
    auto got = send_raw(std::move(bytes));
    if (got.size() != 1) {
      ADD_FAILURE() << "expected one response, got " << got.size();
      return got.empty() ? Message() : Message(got.back());
    }
    return Message(got.front());
  }

  // Everything the Server sent this client (responses, Data indications,
  // ChannelData) since the last call.
  std::vector<ByteVector> take_received() {
    const auto& sent = link_.log()->sent;
    std::vector<ByteVector> out(sent.begin() + static_cast<ptrdiff_t>(consumed_), sent.end());
    consumed_ = sent.size();
    return out;
  }

  // Asks for a challenge with an unsigned Allocate and keeps its REALM and NONCE.
  void learn_nonce() {
    Message challenge = transact(build(stun::Method::kAllocate, {}, RequestOptions{.sign = false}));
    ASSERT_EQ(challenge.error_code(), stun::error::kUnauthenticated) << challenge;
    remember_challenge(challenge);
  }

  // A request the way a real client sends it: signed with the current nonce
  // (learnt first if needed), retried once with a fresh nonce on 438.
  Message request(stun::Method method, const Attrs& attrs = {}, RequestOptions options = {}) {
    if (options.sign && nonce.empty()) learn_nonce();
    Message response = transact(build(method, attrs, options));
    if (options.sign && retry_stale_nonce && !options.transaction_id &&
        response.error_code() == stun::error::kStaleNonce) {
      remember_challenge(response);
      response = transact(build(method, attrs, options));
    }
    if (response.error_code() == stun::error::kUnauthenticated ||
        response.error_code() == stun::error::kStaleNonce) {
      remember_challenge(response);
    }
    return response;
  }

  // Allocate with REQUESTED-TRANSPORT UDP plus `extra`.
  Message allocate(const Attrs& extra = {}, RequestOptions options = {}) {
    return request(
        stun::Method::kAllocate,
        [&](stun::MessageBuilder& b) {
          stun::RequestedTransport{stun::kTransportUdp}.add_to(b);
          if (extra) extra(b);
        },
        std::move(options));
  }

  // Allocate that must succeed; returns the first relayed address.
  SocketAddress allocate_ok(const Attrs& extra = {}) {
    Message response = allocate(extra);
    EXPECT_TRUE(response.is_success(stun::Method::kAllocate)) << response;
    return response.xor_address(stun::attr::kXorRelayedAddress).value_or(SocketAddress());
  }

  Message refresh(std::optional<uint32_t> lifetime, RequestOptions options = {}) {
    return request(
        stun::Method::kRefresh,
        [&](stun::MessageBuilder& b) {
          if (lifetime) stun::Lifetime{*lifetime}.add_to(b);
        },
        std::move(options));
  }

  Message create_permission(std::vector<SocketAddress> peers, RequestOptions options = {}) {
    return request(
        stun::Method::kCreatePermission,
        [&](stun::MessageBuilder& b) {
          for (const auto& peer : peers) stun::XorPeerAddress{peer}.add_to(b);
        },
        std::move(options));
  }

  Message channel_bind(uint16_t number, const SocketAddress& peer, RequestOptions options = {}) {
    return request(
        stun::Method::kChannelBind,
        [&](stun::MessageBuilder& b) {
          stun::ChannelNumber{number}.add_to(b);
          stun::XorPeerAddress{peer}.add_to(b);
        },
        std::move(options));
  }

  // A Send indication (RFC 8656 §10.1); returns what came back (nothing, normally).
  std::vector<ByteVector> send_indication(const SocketAddress& peer, Bytes payload,
                                          const Attrs& extra = {}) {
    ByteVector buffer(4096 + payload.size());
    stun::TransactionId id = h_.next_transaction_id();
    stun::MessageBuilder b(buffer, stun::Method::kSend, stun::MessageClass::kIndication, id.bytes);
    stun::XorPeerAddress{peer}.add_to(b);
    b.add(stun::attr::kData, payload);
    if (extra) extra(b);
    EXPECT_TRUE(b.ok());
    buffer.resize(b.size());
    return send_raw(std::move(buffer));
  }

  // A ChannelData message (RFC 8656 §12.4), padded to 4 bytes on stream transports.
  std::vector<ByteVector> send_channel_data(uint16_t number, Bytes payload) {
    ByteVector frame(stun::kChannelDataHeaderSize + payload.size());
    store_be16(frame.data(), number);
    store_be16(frame.data() + 2, static_cast<uint16_t>(payload.size()));
    std::copy(payload.begin(), payload.end(), frame.begin() + stun::kChannelDataHeaderSize);
    if (is_stream(tuple_.transport)) frame.resize(pad4(frame.size()));
    return send_raw(std::move(frame));
  }

  // The relay sockets of this client's allocation, in the order they were opened.
  FakeRelaySocketState& relay(size_t i = 0) {
    auto sockets = h_.relays.sockets_of(allocation());
    if (allocation() == nullptr || i >= sockets.size()) {
      throw std::runtime_error("no relay socket " + std::to_string(i) + " for this client");
    }
    return *sockets[i];
  }

 private:
  void remember_challenge(const Message& challenge) {
    if (challenge.has(stun::attr::kRealm)) realm = challenge.text(stun::attr::kRealm);
    if (challenge.has(stun::attr::kNonce)) nonce = challenge.text(stun::attr::kNonce);
  }

  Harness& h_;
  FiveTuple tuple_;
  FakeLink link_;
  stun::MacContext mac_;
  size_t consumed_ = 0;
};

// A fixture with one client (alice, 192.0.2.10:40000) that holds an allocation.
class AllocatedClientTest : public ::testing::Test {
 protected:
  AllocatedClientTest() : client_(h_, "192.0.2.10:40000") {}

  void SetUp() override { ASSERT_TRUE(client_.allocate().is_success(stun::Method::kAllocate)); }

  Harness h_;
  TestClient client_;
};

}  // namespace turnd::turn::test

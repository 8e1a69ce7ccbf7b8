// bench/turn_tcp_client.h against a scripted TURN server on a real loopback
// TCP connection: the 401 round trip, long-term credentials checked with
// turnd's codec, CreatePermission and ChannelBind for the SFU's address,
// then ChannelData both ways with the stream split at awkward places.
// Bounded: every wait is a poll() of at most 20 ms, at most 200 rounds.
#include "bench/turn_tcp_client.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "turnd/stun/attr/channel_number.h"
#include "turnd/stun/attr/error_code.h"
#include "turnd/stun/attr/nonce.h"
#include "turnd/stun/attr/realm.h"
#include "turnd/stun/attr/xor_peer_address.h"
#include "turnd/stun/attr/xor_relayed_address.h"

namespace turnd::sfu::bench {
namespace {

constexpr const char* kRealm = "bench.example";
const SocketAddress kPeer = *SocketAddress::parse("127.0.0.1:7882");
const SocketAddress kRelayed = *SocketAddress::parse("127.0.0.1:50000");

// Answers one client: 401 to the first Allocate, then success to each
// request that carries the right MESSAGE-INTEGRITY (or `refuse_with`).
class ScriptedTurnServer {
 public:
  ScriptedTurnServer() : listener_(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)), in_(8192) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    EXPECT_EQ(::bind(listener_.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    EXPECT_EQ(::listen(listener_.get(), 4), 0);
    ::getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&a), &len);
    address_ = *SocketAddress::parse("127.0.0.1", ntohs(a.sin_port));
  }

  const SocketAddress& address() const { return address_; }
  std::vector<std::string> log;              // what the client asked, in order
  std::vector<std::vector<std::byte>> data;  // ChannelData frames received, whole
  uint16_t refuse_with = 0;

  void serve() {
    if (!conn_.valid())
      conn_ = net::Fd(::accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK));
    if (!conn_.valid()) return;
    for (;;) {
      MutableBytes room = in_.room(1024);
      ssize_t n = ::read(conn_.get(), room.data(), room.size());
      if (n <= 0) break;
      in_.produce(static_cast<size_t>(n));
    }
    ASSERT_TRUE(drain_frames(in_, [&](MutableBytes f) {
      if (is_channel_data(f)) return data.emplace_back(f.begin(), f.end()), void();
      answer(f);
    }));
  }

  void write(Bytes bytes) {
    ASSERT_EQ(::write(conn_.get(), bytes.data(), bytes.size()), ssize_t(bytes.size()));
  }

 private:
  void answer(Bytes frame) {
    stun::MessageView m;
    ASSERT_EQ(stun::MessageView::parse(frame, m), stun::ParseResult::kOk);
    auto key = auth::md5_key("alice", kRealm, "secret");
    Bytes k(reinterpret_cast<const std::byte*>(key.data()), key.size());
    bool signed_request = m.integrity_offset() != 0;
    std::string name = m.is(stun::Method::kAllocate, stun::MessageClass::kRequest) ? "Allocate"
                       : m.is(stun::Method::kCreatePermission, stun::MessageClass::kRequest)
                           ? "CreatePermission"
                           : "ChannelBind";
    log.push_back(name + (signed_request ? "+auth" : ""));
    std::array<std::byte, 256> out{};
    if (!signed_request) {
      stun::MessageBuilder b(out, m.method(), stun::MessageClass::kErrorResponse,
                             m.transaction_id());
      stun::ErrorCode{401, {}}.add_to(b);
      stun::Realm{as_bytes(kRealm)}.add_to(b);
      stun::Nonce{as_bytes("nonce-1")}.add_to(b);
      return write(b.bytes());
    }
    ASSERT_TRUE(stun::verify_integrity(mac_, m, k)) << name;
    stun::XorPeerAddress peer;
    if (name != "Allocate") {
      ASSERT_EQ(stun::XorPeerAddress::get_from(m, peer), stun::DecodeStatus::kOk);
      EXPECT_EQ(peer.address, kPeer);
    }
    stun::ChannelNumber channel;
    if (name == "ChannelBind") {
      ASSERT_EQ(stun::ChannelNumber::get_from(m, channel), stun::DecodeStatus::kOk);
      EXPECT_EQ(channel.number, 0x4000);
    }
    auto cls = refuse_with != 0 ? stun::MessageClass::kErrorResponse
                                : stun::MessageClass::kSuccessResponse;
    stun::MessageBuilder b(out, m.method(), cls, m.transaction_id());
    if (refuse_with != 0) stun::ErrorCode{refuse_with, {}}.add_to(b);
    if (name == "Allocate" && refuse_with == 0) stun::XorRelayedAddress{kRelayed}.add_to(b);
    b.add_message_integrity(mac_, k);
    write(b.bytes());
  }

  net::Fd listener_, conn_;
  SocketAddress address_;
  ByteQueue in_;
  stun::MacContext mac_;
};

struct Client {
  explicit Client(const SocketAddress& server)
      : turn({server, "alice", "secret", kPeer, 0x4000, 4096}, mac) {}
  // One poll of the client's socket; true when on_events threw.
  bool pump() {
    pollfd p{turn.fd(), turn.events(), 0};
    if (::poll(&p, 1, 20) <= 0) return false;
    auto keep = [this](MutableBytes d) { received.emplace_back(d.begin(), d.end()); };
    try {
      turn.on_events(p.revents, Deliver(keep));
    } catch (const std::runtime_error&) {
      return true;
    }
    return false;
  }
  stun::MacContext mac;
  TurnTcpClient turn;
  std::vector<std::vector<std::byte>> received;
};

TEST(TurnTcpClient, AllocatesPermitsAndBindsWithLongTermCredentials) {
  ScriptedTurnServer server;
  Client client(server.address());
  for (int round = 0; round < 200 && !client.turn.ready(); ++round) {
    ASSERT_FALSE(client.pump()) << client.turn.error();
    server.serve();
  }
  ASSERT_TRUE(client.turn.ready()) << client.turn.error();
  EXPECT_EQ(client.turn.relayed(), kRelayed);
  EXPECT_EQ(server.log, (std::vector<std::string>{"Allocate", "Allocate+auth",
                                                  "CreatePermission+auth", "ChannelBind+auth"}));

  // Out: a 5-byte datagram as ChannelData, padded to 8 bytes.
  const std::vector<std::byte> hello{std::byte{'h'}, std::byte{'e'}, std::byte{'l'}, std::byte{'l'},
                                     std::byte{'o'}};
  client.turn.send(hello);
  for (int round = 0; round < 200 && server.data.empty(); ++round) {
    server.serve();
    client.pump();
  }
  ASSERT_EQ(server.data.size(), 1u);
  std::vector<std::byte> expected{std::byte{0x40}, std::byte{0}, std::byte{0}, std::byte{5}};
  expected.insert(expected.end(), hello.begin(), hello.end());
  expected.resize(12, std::byte{0});
  EXPECT_EQ(server.data[0], expected);

  // In: two frames, split inside the first header and inside the padding.
  std::vector<std::byte> stream = expected;
  stream.insert(stream.end(), expected.begin(), expected.end());
  for (auto [from, to] : {std::pair<size_t, size_t>{0, 3}, {3, 10}, {10, 24}}) {
    server.write(Bytes(stream).subspan(from, to - from));
    for (int round = 0; round < 5; ++round) ASSERT_FALSE(client.pump()) << client.turn.error();
  }
  for (int round = 0; round < 200 && client.received.size() < 2; ++round) client.pump();
  ASSERT_EQ(client.received.size(), 2u);
  EXPECT_EQ(client.received[0], hello);
  EXPECT_EQ(client.received[1], hello);
  EXPECT_EQ(client.turn.dropped(), 0u);
  EXPECT_EQ(client.turn.unexpected_frames(), 0u);
}

TEST(TurnTcpClient, ARefusalEndsTheTransport) {
  ScriptedTurnServer server;
  server.refuse_with = 486;  // allocation quota reached
  Client client(server.address());
  bool threw = false;
  for (int round = 0; round < 200 && !threw; ++round) {
    threw = client.pump();
    server.serve();
  }
  ASSERT_TRUE(threw);
  EXPECT_EQ(client.turn.state(), TurnTcpClient::State::kFailed);
  EXPECT_NE(client.turn.error().find("Allocate refused with 486"), std::string::npos)
      << client.turn.error();
}

TEST(TurnTcpClient, DatagramsBeforeTheChannelIsBoundAreDroppedAndCounted) {
  ScriptedTurnServer server;
  Client client(server.address());
  client.turn.send(std::vector<std::byte>(100, std::byte{1}));
  EXPECT_EQ(client.turn.dropped(), 1u);
}

}  // namespace
}  // namespace turnd::sfu::bench

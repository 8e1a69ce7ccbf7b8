// A WebRtcTransport against a simulated browser: ICE checks built like
// Chromium's, a real DTLS client (OpenSSL) and real SRTP sessions. The
// browser nominates a path, completes the DTLS handshake, and media flows
// both ways through the transport, encrypted on the wire.
#include "sfu/transport/webrtc_transport.h"

#include <gtest/gtest.h>

#include <deque>

#include "sfu/dtls/dtls_certificate.h"
#include "sfu/ice/check_builder.h"

namespace turnd::sfu::transport {
namespace {

struct Wire final : PacketOut {
  void send(const ice::Path& path, Bytes packet) noexcept override {
    sent.push_back({path, std::vector<std::byte>(packet.begin(), packet.end())});
  }
  MutableBytes send_buffer(const ice::Path&) noexcept override { return buffer; }
  std::array<std::byte, 1500> buffer{};
  std::deque<std::pair<ice::Path, std::vector<std::byte>>> sent;
};

struct Recorder final : TransportListener {
  void on_state(WebRtcTransport&, TransportState s) noexcept override { states.push_back(s); }
  void on_rtp(WebRtcTransport&, MutableBytes p) noexcept override {
    rtp.emplace_back(p.begin(), p.end());
  }
  void on_rtcp(WebRtcTransport&, MutableBytes p) noexcept override {
    rtcp.emplace_back(p.begin(), p.end());
  }
  std::vector<TransportState> states;
  std::vector<std::vector<std::byte>> rtp, rtcp;
};

std::vector<std::byte> rtp_packet(uint16_t seq, uint32_t ssrc, size_t payload) {
  std::vector<std::byte> p(12 + payload, std::byte{0x5A});
  p[0] = std::byte{0x80};
  p[1] = std::byte{96};
  p[2] = std::byte(seq >> 8);
  p[3] = std::byte(seq & 0xFF);
  for (int i = 0; i < 4; ++i) p[4 + i] = std::byte{0};
  for (int i = 0; i < 4; ++i) p[8 + i] = std::byte((ssrc >> (24 - 8 * i)) & 0xFF);
  return p;
}

class WebRtcTransportTest : public ::testing::Test {
 protected:
  WebRtcTransportTest()
      : server_cert_(dtls::DtlsCertificate::generate()),
        browser_cert_(dtls::DtlsCertificate::generate()),
        server_ctx_(server_cert_),
        browser_ctx_(browser_cert_),
        transport_(TransportDeps{clock_, server_ctx_, srtp_, mac_, wire_}, recorder_,
                   browser_cert_.fingerprint(), "brws"),
        browser_dtls_(browser_ctx_, client_options(),
                      [this](Bytes d) { to_server_.emplace_back(d.begin(), d.end()); }) {}

  dtls::DtlsTransportOptions client_options() {
    dtls::DtlsTransportOptions o;
    o.role = dtls::DtlsRole::kClient;
    o.remote_fingerprint = server_cert_.fingerprint();
    return o;
  }

  // The browser's check on `path`, through the agent as the endpoint does it.
  void check(const ice::Path& path, bool nominate) {
    ice::test::Check c;
    c.username = transport_.local_ice().ufrag + ":brws";
    c.pwd = transport_.local_ice().pwd;
    c.use_candidate = nominate;
    auto packet = ice::test::build(c, mac_);
    std::array<std::byte, 1280> reply{};
    auto outcome = transport_.ice().handle_stun(packet, path, reply);
    ASSERT_EQ(outcome.result, ice::CheckResult::kAccepted);
    transport_.after_stun(outcome);
  }

  // Moves datagrams both ways until neither side has anything to say.
  void pump() {
    for (int round = 0; round < 50; ++round) {
      bool moved = false;
      while (!to_server_.empty()) {
        auto d = std::move(to_server_.front());
        to_server_.pop_front();
        d.resize(d.size() + 64);
        transport_.on_datagram(path_, MutableBytes(d.data(), d.size() - 64), 64);
        moved = true;
      }
      while (!wire_.sent.empty()) {
        auto [path, d] = std::move(wire_.sent.front());
        wire_.sent.pop_front();
        EXPECT_EQ(path, path_);
        browser_dtls_.feed(d);
        moved = true;
      }
      if (!moved) return;
    }
  }

  void connect() {
    check(path_, true);
    browser_dtls_.start();
    pump();
    ASSERT_EQ(browser_dtls_.state(), dtls::DtlsState::kConnected);
    ASSERT_EQ(transport_.state(), TransportState::kConnected);
    const auto& keys = *browser_dtls_.srtp_configs();
    browser_out_.emplace(srtp_, keys.outbound);
    browser_in_.emplace(srtp_, keys.inbound);
  }

  ManualClock clock_;
  stun::MacContext mac_;
  srtp::SrtpLibrary srtp_;
  dtls::DtlsCertificate server_cert_;
  dtls::DtlsCertificate browser_cert_;
  dtls::DtlsContext server_ctx_;
  dtls::DtlsContext browser_ctx_;
  Wire wire_;
  Recorder recorder_;
  WebRtcTransport transport_;
  std::deque<std::vector<std::byte>> to_server_;
  dtls::DtlsTransport browser_dtls_;
  std::optional<srtp::SrtpSession> browser_out_, browser_in_;
  ice::Path path_{*SocketAddress::parse("192.0.2.10:50000"), 1};
};

TEST_F(WebRtcTransportTest, IceThenDtlsThenMediaBothWays) {
  EXPECT_EQ(transport_.state(), TransportState::kNew);
  connect();
  EXPECT_EQ(recorder_.states,
            (std::vector<TransportState>{TransportState::kConnecting, TransportState::kConnected}));

  // Browser -> SFU: SRTP on the wire, plain RTP for the listener.
  auto plain = rtp_packet(1000, 0x11223344, 200);
  std::vector<std::byte> wire = plain;
  wire.resize(plain.size() + 64);
  auto r = browser_out_->protect_rtp(wire, plain.size());
  ASSERT_TRUE(r.ok());
  EXPECT_NE(std::vector<std::byte>(wire.begin() + 12, wire.begin() + 212),
            std::vector<std::byte>(plain.begin() + 12, plain.end()));
  transport_.on_datagram(path_, MutableBytes(wire.data(), r.length), 64);
  ASSERT_EQ(recorder_.rtp.size(), 1u);
  EXPECT_EQ(recorder_.rtp[0], plain);
  EXPECT_EQ(transport_.counters().rtp_in, 1u);

  // A replay of the same packet is refused by SRTP.
  auto replay = wire;
  transport_.on_datagram(path_, MutableBytes(replay.data(), r.length), 64);
  EXPECT_EQ(recorder_.rtp.size(), 1u);
  EXPECT_EQ(transport_.counters().srtp_errors, 1u);

  // SFU -> browser on the selected path.
  auto out = rtp_packet(7, 0x55667788, 100);
  size_t length = out.size();
  out.resize(length + WebRtcTransport::kPacketTailroom);
  ASSERT_TRUE(transport_.send_rtp(out, length));
  ASSERT_EQ(wire_.sent.size(), 1u);
  EXPECT_EQ(wire_.sent[0].first, path_);
  auto received = wire_.sent[0].second;
  auto u = browser_in_->unprotect_rtp(received, received.size());
  ASSERT_TRUE(u.ok());
  received.resize(u.length);
  EXPECT_EQ(received, rtp_packet(7, 0x55667788, 100));
}

TEST_F(WebRtcTransportTest, NothingIsSentBeforeKeysAndGarbageIsDropped) {
  auto out = rtp_packet(1, 1, 10);
  size_t length = out.size();
  out.resize(length + WebRtcTransport::kPacketTailroom);
  EXPECT_FALSE(transport_.send_rtp(out, length));
  std::vector<std::byte> junk(40, std::byte{0x99});
  transport_.on_datagram(path_, junk, 0);
  EXPECT_EQ(transport_.counters().dropped, 1u);
  EXPECT_TRUE(recorder_.rtp.empty());
}

TEST_F(WebRtcTransportTest, ConsentExpiryFailsTheTransport) {
  connect();
  clock_.advance(Seconds(16));
  transport_.on_timer(clock_.now());
  EXPECT_EQ(transport_.state(), TransportState::kDisconnected);
  check(path_, false);  // a consent check brings it back
  EXPECT_EQ(transport_.state(), TransportState::kConnected);
  clock_.advance(Seconds(31));
  transport_.on_timer(clock_.now());
  EXPECT_EQ(transport_.state(), TransportState::kFailed);
  auto out = rtp_packet(1, 1, 10);
  size_t length = out.size();
  out.resize(length + WebRtcTransport::kPacketTailroom);
  EXPECT_FALSE(transport_.send_rtp(out, length));
}

}  // namespace
}  // namespace turnd::sfu::transport

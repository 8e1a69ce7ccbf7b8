// DtlsTransport: a client and a server handshake in process; matching SRTP
// keys shown with SrtpSession; fingerprint checks; SRTP profile
// negotiation; MTU; close_notify.
#include "sfu/dtls/dtls_transport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

#include "sfu/srtp/srtp_session.h"
#include "tests/unit/sfu/dtls/dtls_pair.h"

namespace turnd::sfu::dtls {
namespace {

using test::DtlsPair;
using test::PairOptions;

// Protects an RTP packet with `out` and unprotects it with `in`.
bool rtp_passes(const srtp::SrtpSessionConfig& out_config,
                const srtp::SrtpSessionConfig& in_config) {
  srtp::SrtpLibrary library;
  srtp::SrtpSession out(library, out_config);
  srtp::SrtpSession in(library, in_config);
  alignas(4) std::array<std::byte, 128> packet{};
  packet[0] = std::byte{0x80};
  packet[3] = std::byte{1};
  packet[11] = std::byte{7};
  for (size_t i = 12; i < 60; ++i) packet[i] = std::byte(i);
  auto plain = packet;
  auto protected_result = out.protect_rtp(packet, 60);
  if (!protected_result.ok()) return false;
  auto result = in.unprotect_rtp(packet, protected_result.length);
  return result.ok() && result.length == 60 &&
         std::equal(packet.begin(), packet.begin() + 60, plain.begin());
}

TEST(DtlsTransport, HandshakeConnectsBothSidesWithMatchingSrtpKeys) {
  DtlsPair pair;
  EXPECT_EQ(pair.client->state(), DtlsState::kNew);
  pair.handshake();
  ASSERT_EQ(pair.client->state(), DtlsState::kConnected) << to_string(pair.client->failure());
  ASSERT_EQ(pair.server->state(), DtlsState::kConnected) << to_string(pair.server->failure());
  EXPECT_EQ(pair.client->srtp_profile(), srtp::SrtpProfile::kAeadAes128Gcm);
  EXPECT_EQ(pair.server->srtp_profile(), srtp::SrtpProfile::kAeadAes128Gcm);

  const auto& client = *pair.client->srtp_configs();
  const auto& server = *pair.server->srtp_configs();
  EXPECT_EQ(client.outbound.master_key, server.inbound.master_key);
  EXPECT_EQ(client.outbound.master_salt, server.inbound.master_salt);
  EXPECT_EQ(client.inbound.master_key, server.outbound.master_key);
  EXPECT_NE(client.outbound.master_key, client.inbound.master_key);
  EXPECT_TRUE(rtp_passes(client.outbound, server.inbound));
  EXPECT_TRUE(rtp_passes(server.outbound, client.inbound));
  EXPECT_FALSE(rtp_passes(client.outbound, client.inbound));

  ASSERT_TRUE(pair.client->peer_certificate_fingerprint());
  EXPECT_TRUE(pair.client->peer_certificate_fingerprint()->matches(
      pair.server_certificate().fingerprint()));
  EXPECT_TRUE(pair.server->peer_certificate_fingerprint()->matches(
      pair.client_certificate().fingerprint()));
}

TEST(DtlsTransport, ServerStartsOnTheFirstClientHello) {
  DtlsPair pair;
  pair.client->start();
  EXPECT_EQ(pair.server->state(), DtlsState::kNew);
  pair.pump();
  EXPECT_EQ(pair.server->state(), DtlsState::kConnected);
  EXPECT_EQ(pair.client->state(), DtlsState::kConnected);
}

TEST(DtlsTransport, DatagramsRespectTheDefaultMtu) {
  DtlsPair pair;
  pair.handshake();
  ASSERT_EQ(pair.server->state(), DtlsState::kConnected);
  EXPECT_LE(pair.client.largest_datagram, 1200u);
  EXPECT_LE(pair.server.largest_datagram, 1200u);
}

TEST(DtlsTransport, SmallMtuFragmentsTheFlights) {
  PairOptions options;
  options.mtu = 300;
  DtlsPair pair(options);
  pair.handshake();
  ASSERT_EQ(pair.client->state(), DtlsState::kConnected) << to_string(pair.client->failure());
  ASSERT_EQ(pair.server->state(), DtlsState::kConnected) << to_string(pair.server->failure());
  EXPECT_LE(pair.client.largest_datagram, 300u);
  EXPECT_LE(pair.server.largest_datagram, 300u);
  EXPECT_GT(pair.server.datagrams_sent, 3u);  // the certificate flight needed several
}

TEST(DtlsTransport, WrongFingerprintOnTheServerFailsBothSides) {
  PairOptions options;
  options.server_knows_client_fingerprint = false;
  DtlsPair pair(options);
  DtlsCertificate stranger = DtlsCertificate::generate();
  pair.server->set_remote_fingerprint(stranger.fingerprint());
  pair.handshake();
  EXPECT_EQ(pair.server->state(), DtlsState::kFailed);
  EXPECT_EQ(pair.server->failure(), DtlsFailure::kFingerprintMismatch);
  EXPECT_FALSE(pair.server->srtp_configs().has_value());
  // The server's bad_certificate alert ends the client's handshake too.
  EXPECT_EQ(pair.client->state(), DtlsState::kFailed);
  EXPECT_FALSE(pair.client->srtp_configs().has_value());
}

TEST(DtlsTransport, WrongFingerprintOnTheClientFails) {
  PairOptions options;
  options.client_knows_server_fingerprint = false;
  DtlsPair pair(options);
  pair.client->set_remote_fingerprint(pair.client_certificate().fingerprint());  // not the server's
  pair.handshake();
  EXPECT_EQ(pair.client->state(), DtlsState::kFailed);
  EXPECT_EQ(pair.client->failure(), DtlsFailure::kFingerprintMismatch);
  EXPECT_NE(pair.server->state(), DtlsState::kConnected);
}

TEST(DtlsTransport, FingerprintArrivingAfterTheHandshakeCompletesIt) {
  PairOptions options;
  options.server_knows_client_fingerprint = false;
  DtlsPair pair(options);
  pair.handshake();
  EXPECT_EQ(pair.client->state(), DtlsState::kConnected);
  EXPECT_EQ(pair.server->state(), DtlsState::kConnecting);  // waiting for the SDP answer
  EXPECT_FALSE(pair.server->srtp_configs().has_value());
  EXPECT_TRUE(pair.server->set_remote_fingerprint(pair.client_certificate().fingerprint()));
  EXPECT_EQ(pair.server->state(), DtlsState::kConnected);
  EXPECT_TRUE(
      rtp_passes(pair.client->srtp_configs()->outbound, pair.server->srtp_configs()->inbound));
}

TEST(DtlsTransport, WrongFingerprintArrivingAfterTheHandshakeFails) {
  PairOptions options;
  options.server_knows_client_fingerprint = false;
  DtlsPair pair(options);
  pair.handshake();
  ASSERT_EQ(pair.server->state(), DtlsState::kConnecting);
  EXPECT_TRUE(pair.server->set_remote_fingerprint(pair.server_certificate().fingerprint()));
  EXPECT_EQ(pair.server->state(), DtlsState::kFailed);
  EXPECT_EQ(pair.server->failure(), DtlsFailure::kFingerprintMismatch);
}

TEST(DtlsTransport, GcmIsChosenWhenBothOfferIt) {
  PairOptions options;
  options.client_context.srtp_profiles = "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM";
  DtlsPair pair(options);
  pair.handshake();
  ASSERT_EQ(pair.server->state(), DtlsState::kConnected);
  EXPECT_EQ(pair.server->srtp_profile(), srtp::SrtpProfile::kAeadAes128Gcm);
  EXPECT_EQ(pair.client->srtp_profile(), srtp::SrtpProfile::kAeadAes128Gcm);
}

TEST(DtlsTransport, CmSha1IsUsedWhenThePeerOffersOnlyThat) {
  PairOptions options;
  options.client_context.srtp_profiles = "SRTP_AES128_CM_SHA1_80";
  DtlsPair pair(options);
  pair.handshake();
  ASSERT_EQ(pair.server->state(), DtlsState::kConnected);
  EXPECT_EQ(pair.server->srtp_profile(), srtp::SrtpProfile::kAes128CmHmacSha1_80);
  EXPECT_EQ(pair.client->srtp_profile(), srtp::SrtpProfile::kAes128CmHmacSha1_80);
  const auto& client = *pair.client->srtp_configs();
  const auto& server = *pair.server->srtp_configs();
  EXPECT_EQ(client.outbound.profile, srtp::SrtpProfile::kAes128CmHmacSha1_80);
  EXPECT_TRUE(rtp_passes(client.outbound, server.inbound));
  EXPECT_TRUE(rtp_passes(server.outbound, client.inbound));
}

TEST(DtlsTransport, NoCommonSrtpProfileFails) {
  PairOptions options;
  options.client_context.srtp_profiles = "SRTP_AES128_CM_SHA1_32";
  DtlsPair pair(options);
  pair.handshake();
  EXPECT_EQ(pair.server->state(), DtlsState::kFailed);
  EXPECT_EQ(pair.server->failure(), DtlsFailure::kNoSrtpProfile);
  EXPECT_EQ(pair.client->state(), DtlsState::kFailed);
}

TEST(DtlsTransport, CloseNotifyClosesThePeer) {
  DtlsPair pair;
  pair.handshake();
  ASSERT_EQ(pair.server->state(), DtlsState::kConnected);
  EXPECT_TRUE(pair.client->close());
  EXPECT_EQ(pair.client->state(), DtlsState::kClosed);
  EXPECT_FALSE(pair.client.outbox.empty());
  pair.pump();
  EXPECT_EQ(pair.server->state(), DtlsState::kClosed);
  EXPECT_EQ(pair.server->failure(), DtlsFailure::kNone);
  EXPECT_FALSE(pair.client->close());  // already closed
}

TEST(DtlsTransport, GarbageDuringTheHandshakeIsIgnored) {
  DtlsPair pair;
  pair.client->start();
  std::array<std::byte, 40> junk{};
  junk[0] = std::byte{22};  // looks like a handshake record, is not one
  junk[1] = std::byte{0xFE};
  junk[2] = std::byte{0xFD};
  EXPECT_FALSE(pair.server->feed(junk) && pair.server->state() == DtlsState::kFailed);
  EXPECT_NE(pair.server->state(), DtlsState::kFailed);
  pair.pump();
  EXPECT_EQ(pair.server->state(), DtlsState::kConnected);
  EXPECT_EQ(pair.client->state(), DtlsState::kConnected);
}

TEST(DtlsTransport, TerminalStatesIgnoreInput) {
  DtlsPair pair;
  EXPECT_TRUE(pair.server->close());
  EXPECT_EQ(pair.server->state(), DtlsState::kClosed);
  pair.client->start();
  pair.pump();
  EXPECT_EQ(pair.server->state(), DtlsState::kClosed);
  EXPECT_FALSE(pair.server->start());
  EXPECT_EQ(pair.server->next_timeout(), std::nullopt);
}

TEST(DtlsTransport, BadOptionsThrow) {
  DtlsCertificate certificate = DtlsCertificate::generate();
  DtlsContext context(certificate);
  DtlsTransportOptions options;
  options.mtu = 100;
  EXPECT_THROW(DtlsTransport(context, options, [](Bytes) {}), std::invalid_argument);
  options.mtu = 9000;
  EXPECT_THROW(DtlsTransport(context, options, [](Bytes) {}), std::invalid_argument);
}

}  // namespace
}  // namespace turnd::sfu::dtls

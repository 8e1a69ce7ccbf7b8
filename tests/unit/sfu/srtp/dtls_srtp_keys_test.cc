// split_dtls_srtp_keys: RFC 5764 §4.2 layout, roles, and that the client's
// outbound keys are the server's inbound keys.
#include "sfu/srtp/dtls_srtp_keys.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace turnd::sfu::srtp {
namespace {

std::vector<std::byte> counting(size_t n) {
  std::vector<std::byte> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = std::byte(i);
  return v;
}

TEST(DtlsSrtpKeys, ExporterLengths) {
  EXPECT_EQ(dtls_srtp_exporter_length(SrtpProfile::kAes128CmHmacSha1_80), 60u);
  EXPECT_EQ(dtls_srtp_exporter_length(SrtpProfile::kAeadAes128Gcm), 56u);
}

TEST(DtlsSrtpKeys, LayoutForBothRolesCmSha1) {
  auto profile = SrtpProfile::kAes128CmHmacSha1_80;
  auto material = counting(60);
  auto client = split_dtls_srtp_keys(profile, material, LocalDtlsRole::kClient, 512);
  auto server = split_dtls_srtp_keys(profile, material, LocalDtlsRole::kServer, 512);
  ASSERT_TRUE(client && server);
  // client_key = 0..15, server_key = 16..31, client_salt = 32..45, server_salt = 46..59.
  EXPECT_EQ(client->outbound.master_key[0], std::byte{0});
  EXPECT_EQ(client->outbound.master_salt[0], std::byte{32});
  EXPECT_EQ(client->outbound.master_salt[13], std::byte{45});
  EXPECT_EQ(client->inbound.master_key[0], std::byte{16});
  EXPECT_EQ(client->inbound.master_salt[0], std::byte{46});
  EXPECT_EQ(client->inbound.master_salt[13], std::byte{59});
  EXPECT_EQ(client->outbound.master_key, server->inbound.master_key);
  EXPECT_EQ(client->outbound.master_salt, server->inbound.master_salt);
  EXPECT_EQ(client->inbound.master_key, server->outbound.master_key);
  EXPECT_EQ(client->inbound.master_salt, server->outbound.master_salt);
  EXPECT_EQ(client->outbound.direction, SrtpDirection::kOutbound);
  EXPECT_EQ(client->inbound.direction, SrtpDirection::kInbound);
  EXPECT_EQ(client->inbound.replay_window, 512);
}

TEST(DtlsSrtpKeys, LayoutGcmUsesTwelveByteSalts) {
  auto profile = SrtpProfile::kAeadAes128Gcm;
  auto material = counting(56);
  auto server = split_dtls_srtp_keys(profile, material, LocalDtlsRole::kServer);
  ASSERT_TRUE(server);
  // client_salt = 32..43, server_salt = 44..55.
  EXPECT_EQ(server->outbound.master_key[0], std::byte{16});
  EXPECT_EQ(server->outbound.master_salt[0], std::byte{44});
  EXPECT_EQ(server->outbound.master_salt[11], std::byte{55});
  EXPECT_EQ(server->outbound.master_salt[12], std::byte{0});  // unused
  EXPECT_EQ(server->inbound.master_salt[0], std::byte{32});
}

TEST(DtlsSrtpKeys, WrongLengthIsRejected) {
  auto material = counting(59);
  EXPECT_FALSE(
      split_dtls_srtp_keys(SrtpProfile::kAes128CmHmacSha1_80, material, LocalDtlsRole::kClient));
  EXPECT_FALSE(split_dtls_srtp_keys(SrtpProfile::kAeadAes128Gcm, material, LocalDtlsRole::kClient));
}

TEST(DtlsSrtpKeys, ClientOutboundTalksToServerInbound) {
  SrtpLibrary library;
  auto profile = SrtpProfile::kAeadAes128Gcm;
  auto material = counting(56);
  auto client = split_dtls_srtp_keys(profile, material, LocalDtlsRole::kClient);
  auto server = split_dtls_srtp_keys(profile, material, LocalDtlsRole::kServer);
  SrtpSession client_out(library, client->outbound);
  SrtpSession server_in(library, server->inbound);
  SrtpSession server_out(library, server->outbound);
  SrtpSession client_in(library, client->inbound);

  alignas(4) std::array<std::byte, 64> buffer{};
  buffer[0] = std::byte{0x80};
  buffer[3] = std::byte{1};
  SrtpResult r = client_out.protect_rtp(buffer, 28);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(server_in.unprotect_rtp(buffer, r.length).ok());
  buffer[3] = std::byte{2};  // a new sequence number: server_in must fail on the tag, not replay
  r = server_out.protect_rtp(buffer, 28);
  ASSERT_TRUE(r.ok());
  auto copy = buffer;  // a failed unprotect leaves the buffer scrambled
  EXPECT_EQ(server_in.unprotect_rtp(copy, r.length).status, SrtpStatus::kAuthFailed);
  EXPECT_TRUE(client_in.unprotect_rtp(buffer, r.length).ok());
}

}  // namespace
}  // namespace turnd::sfu::srtp

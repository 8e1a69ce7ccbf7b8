// Splitting the DTLS-SRTP exporter output into the two directions' master
// keys (RFC 5764 §4.2). The exporter (label "EXTRACTOR-dtls_srtp", no
// context) yields, in order:
//   client_write_SRTP_master_key | server_write_SRTP_master_key |
//   client_write_SRTP_master_salt | server_write_SRTP_master_salt
// The DTLS client protects what it sends with the client keys and the server
// with the server keys, so which half is ours depends on our DTLS role.
#pragma once

#include <cstdint>
#include <optional>

#include "sfu/srtp/srtp_session.h"
#include "turnd/common/bytes.h"

namespace turnd::sfu::srtp {

enum class LocalDtlsRole : uint8_t { kClient, kServer };

struct SrtpSessionConfigs {
  SrtpSessionConfig inbound;   // unprotects what the peer sends
  SrtpSessionConfig outbound;  // protects what we send
};

// How many bytes to ask the exporter for: 2 * (key + salt).
constexpr size_t dtls_srtp_exporter_length(SrtpProfile profile) noexcept {
  return 2 * (kMasterKeyLength + master_salt_length(profile));
}

// nullopt when `exported` is not dtls_srtp_exporter_length(profile) long.
std::optional<SrtpSessionConfigs> split_dtls_srtp_keys(SrtpProfile profile, Bytes exported,
                                                       LocalDtlsRole role,
                                                       uint16_t replay_window = 1024) noexcept;

}  // namespace turnd::sfu::srtp

#include "sfu/srtp/dtls_srtp_keys.h"

#include <cstring>

namespace turnd::sfu::srtp {
namespace {

// The key and salt of one writer (client: index 0, server: index 1).
void fill(SrtpSessionConfig& config, Bytes exported, size_t writer) noexcept {
  size_t salt_length = master_salt_length(config.profile);
  size_t salts = 2 * kMasterKeyLength;
  std::memcpy(config.master_key.data(), exported.data() + writer * kMasterKeyLength,
              kMasterKeyLength);
  std::memcpy(config.master_salt.data(), exported.data() + salts + writer * salt_length,
              salt_length);
}

}  // namespace

std::optional<SrtpSessionConfigs> split_dtls_srtp_keys(SrtpProfile profile, Bytes exported,
                                                       LocalDtlsRole role,
                                                       uint16_t replay_window) noexcept {
  if (exported.size() != dtls_srtp_exporter_length(profile)) return std::nullopt;
  SrtpSessionConfigs out;
  out.inbound.profile = out.outbound.profile = profile;
  out.inbound.direction = SrtpDirection::kInbound;
  out.outbound.direction = SrtpDirection::kOutbound;
  out.inbound.replay_window = out.outbound.replay_window = replay_window;
  size_t ours = role == LocalDtlsRole::kClient ? 0 : 1;
  fill(out.outbound, exported, ours);
  fill(out.inbound, exported, 1 - ours);
  return out;
}

}  // namespace turnd::sfu::srtp

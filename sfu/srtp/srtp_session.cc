#include "sfu/srtp/srtp_session.h"

#include <arpa/inet.h>
#include <openssl/crypto.h>
#include <srtp2/srtp.h>

#include <climits>
#include <cstring>
#include <stdexcept>
#include <string>

namespace turnd::sfu::srtp {
namespace {

SrtpStatus map_status(srtp_err_status_t status) noexcept {
  switch (status) {
    case srtp_err_status_ok:
      return SrtpStatus::kOk;
    case srtp_err_status_auth_fail:
      return SrtpStatus::kAuthFailed;
    case srtp_err_status_replay_fail:
      return SrtpStatus::kReplayed;
    case srtp_err_status_replay_old:
      return SrtpStatus::kTooOld;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
      return SrtpStatus::kMalformed;
    default:
      return SrtpStatus::kFailed;
  }
}

void set_crypto_policy(SrtpProfile profile, srtp_policy_t& policy) noexcept {
  if (profile == SrtpProfile::kAeadAes128Gcm) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth(&policy.rtcp);
  } else {
    srtp_crypto_policy_set_rtp_default(&policy.rtp);  // AES_CM_128_HMAC_SHA1_80
    srtp_crypto_policy_set_rtcp_default(&policy.rtcp);
  }
}

}  // namespace

const char* to_string(SrtpStatus status) noexcept {
  switch (status) {
    case SrtpStatus::kOk:
      return "ok";
    case SrtpStatus::kAuthFailed:
      return "authentication failed";
    case SrtpStatus::kReplayed:
      return "replayed";
    case SrtpStatus::kTooOld:
      return "too old";
    case SrtpStatus::kMalformed:
      return "malformed";
    case SrtpStatus::kNoRoom:
      return "no room for the trailer";
    case SrtpStatus::kWrongDirection:
      return "wrong direction";
    case SrtpStatus::kFailed:
      break;
  }
  return "failed";
}

void SrtpSession::Deleter::operator()(srtp_ctx_t_* session) const noexcept {
  srtp_dealloc(session);
}

SrtpSession::SrtpSession(const SrtpLibrary&, const SrtpSessionConfig& config)
    : profile_(config.profile), direction_(config.direction) {
  // libsrtp wants the master key immediately followed by the master salt.
  std::array<unsigned char, kMasterKeyLength + kMaxMasterSaltLength> key_and_salt{};
  std::memcpy(key_and_salt.data(), config.master_key.data(), kMasterKeyLength);
  std::memcpy(key_and_salt.data() + kMasterKeyLength, config.master_salt.data(),
              master_salt_length(config.profile));

  srtp_policy_t policy;
  std::memset(&policy, 0, sizeof policy);
  set_crypto_policy(config.profile, policy);
  policy.ssrc.type =
      config.direction == SrtpDirection::kInbound ? ssrc_any_inbound : ssrc_any_outbound;
  policy.key = key_and_salt.data();
  policy.window_size = config.replay_window;
  policy.allow_repeat_tx = config.direction == SrtpDirection::kOutbound ? 1 : 0;
  policy.next = nullptr;

  srtp_t session = nullptr;
  srtp_err_status_t status = srtp_create(&session, &policy);  // derives and keeps its own keys
  OPENSSL_cleanse(key_and_salt.data(), key_and_salt.size());
  if (status != srtp_err_status_ok) {
    throw std::runtime_error("libsrtp: srtp_create failed with status " +
                             std::to_string(static_cast<int>(status)));
  }
  session_.reset(session);
}

SrtpSession::~SrtpSession() = default;
SrtpSession::SrtpSession(SrtpSession&&) noexcept = default;
SrtpSession& SrtpSession::operator=(SrtpSession&&) noexcept = default;

SrtpResult SrtpSession::protect_rtp(MutableBytes buffer, size_t length) noexcept {
  return run(Kind::kRtp, SrtpDirection::kOutbound, buffer, length);
}

SrtpResult SrtpSession::protect_rtcp(MutableBytes buffer, size_t length) noexcept {
  return run(Kind::kRtcp, SrtpDirection::kOutbound, buffer, length);
}

SrtpResult SrtpSession::unprotect_rtp(MutableBytes buffer, size_t length) noexcept {
  return run(Kind::kRtp, SrtpDirection::kInbound, buffer, length);
}

SrtpResult SrtpSession::unprotect_rtcp(MutableBytes buffer, size_t length) noexcept {
  return run(Kind::kRtcp, SrtpDirection::kInbound, buffer, length);
}

SrtpResult SrtpSession::run(Kind kind, SrtpDirection direction, MutableBytes buffer,
                            size_t length) noexcept {
  if (!session_ || direction != direction_) return {SrtpStatus::kWrongDirection, 0};
  if (length > buffer.size() || length > INT_MAX / 2) return {SrtpStatus::kMalformed, 0};
  if (direction == SrtpDirection::kOutbound) {
    // Without an MKI libsrtp writes exactly the trailer past the packet.
    size_t overhead = kind == Kind::kRtp ? rtp_overhead(profile_) : rtcp_overhead(profile_);
    if (buffer.size() - length < overhead) return {SrtpStatus::kNoRoom, 0};
  }
  // libsrtp reads the fixed headers without checking the length first.
  if (length < (kind == Kind::kRtp ? 12u : 8u)) return {SrtpStatus::kMalformed, 0};

  int len = static_cast<int>(length);
  void* data = buffer.data();
  srtp_err_status_t status;
  if (kind == Kind::kRtp) {
    status = direction == SrtpDirection::kOutbound ? srtp_protect(session_.get(), data, &len)
                                                   : srtp_unprotect(session_.get(), data, &len);
  } else {
    status = direction == SrtpDirection::kOutbound
                 ? srtp_protect_rtcp(session_.get(), data, &len)
                 : srtp_unprotect_rtcp(session_.get(), data, &len);
  }
  if (status != srtp_err_status_ok) return {map_status(status), 0};
  if (direction == SrtpDirection::kInbound) {
    used(load_be32(buffer.data() + (kind == Kind::kRtp ? 8 : 4)));  // RTP SSRC, RTCP sender
  }
  return {SrtpStatus::kOk, static_cast<size_t>(len)};
}

void SrtpSession::used(uint32_t ssrc) noexcept {
  ++uses_;
  Stream* oldest = nullptr;
  for (size_t i = 0; i < stream_count_; ++i) {
    Stream& s = streams_[i];
    if (s.ssrc == ssrc) {
      s.last_use = uses_;
      return;
    }
    if (oldest == nullptr || s.last_use < oldest->last_use) oldest = &s;
  }
  if (stream_count_ < streams_.size()) {
    streams_[stream_count_++] = {ssrc, uses_};
    return;
  }
  // libsrtp wants the SSRC in network byte order.
  srtp_remove_stream(session_.get(), htonl(oldest->ssrc));
  removed_streams_++;
  *oldest = {ssrc, uses_};
}

}  // namespace turnd::sfu::srtp

// SrtpSession: one direction of SRTP/SRTCP for one transport, owning a
// libsrtp srtp_t. Inbound sessions accept any SSRC (ssrc_any_inbound) and
// keep a replay window; outbound sessions protect any SSRC
// (ssrc_any_outbound) and allow repeated sequence numbers, because RTX from
// our retransmission buffer re-sends packets unchanged.
//
// protect_* / unprotect_* work in place and never throw. Per packet nothing
// is allocated and no lock is taken, here or in libsrtp: libsrtp keeps the
// packet formats, key derivation, replay windows and streams, and its
// crypto is turnd's OpenSSL types (SrtpLibrary: evp_aes_icm.h,
// evp_aes_gcm.h, hmac_sha1.h), whose contexts are made with the session.
// Tested by tests/unit/sfu/srtp/srtp_session_allocation_test.cc; measured
// in bench/sfu_forward_bench.cc. What does allocate: the constructor, and
// the first packet of each new SSRC (libsrtp makes a stream for it).
//
// An inbound session keeps streams for at most kMaxInboundStreams SSRCs: a
// peer holding the keys could otherwise make libsrtp keep a stream for every
// SSRC it invents. Once a new SSRC authenticates and the table is full, the
// stream used least recently is removed (its replay window goes with it).
// Browsers use a handful of SSRCs per transport; a stream removed and
// needed again starts afresh (rollover counter 0).
// A session is used by one thread at a time; sessions on different threads
// share nothing mutable.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "sfu/srtp/srtp_library.h"
#include "sfu/srtp/srtp_profile.h"
#include "turnd/common/bytes.h"

struct srtp_ctx_t_;

namespace turnd::sfu::srtp {

enum class SrtpDirection : uint8_t {
  kInbound,   // unprotect what the peer sent
  kOutbound,  // protect what we send
};

// One direction's master key and salt and how to use them.
struct SrtpSessionConfig {
  SrtpProfile profile = SrtpProfile::kAeadAes128Gcm;
  SrtpDirection direction = SrtpDirection::kInbound;
  std::array<std::byte, kMasterKeyLength> master_key{};
  std::array<std::byte, kMaxMasterSaltLength> master_salt{};  // master_salt_length(profile) used
  // Packets this far behind the newest are rejected as too old (inbound
  // only; libsrtp accepts 64..32767). Video wants more than audio.
  uint16_t replay_window = 1024;

  bool operator==(const SrtpSessionConfig&) const = default;
};

enum class SrtpStatus : uint8_t {
  kOk,
  kAuthFailed,      // tag mismatch: tampered, or not for these keys
  kReplayed,        // inbound: this index was already accepted
  kTooOld,          // inbound: behind the replay window
  kMalformed,       // not a parseable RTP/RTCP packet
  kNoRoom,          // protect: the buffer has no room for the trailer
  kWrongDirection,  // protect on an inbound session or the reverse
  kFailed,          // any other libsrtp error
};

struct SrtpResult {
  SrtpStatus status = SrtpStatus::kFailed;
  size_t length = 0;  // the packet's new length when status is kOk
  bool ok() const noexcept { return status == SrtpStatus::kOk; }
};

const char* to_string(SrtpStatus status) noexcept;

class SrtpSession {
 public:
  // Throws std::runtime_error when libsrtp rejects the configuration.
  SrtpSession(const SrtpLibrary& library, const SrtpSessionConfig& config);
  ~SrtpSession();
  SrtpSession(SrtpSession&&) noexcept;
  SrtpSession& operator=(SrtpSession&&) noexcept;
  SrtpSession(const SrtpSession&) = delete;
  SrtpSession& operator=(const SrtpSession&) = delete;

  SrtpProfile profile() const noexcept { return profile_; }
  SrtpDirection direction() const noexcept { return direction_; }

  // The packet is buffer[0, length). protect_* need buffer.size() >= length +
  // rtp_overhead() / rtcp_overhead(); the buffer should be 4-byte aligned.
  // When the status is not kOk the buffer's contents are unspecified (a
  // failed AEAD unprotect has already decrypted in place): drop the packet.
  SrtpResult protect_rtp(MutableBytes buffer, size_t length) noexcept;
  SrtpResult protect_rtcp(MutableBytes buffer, size_t length) noexcept;
  SrtpResult unprotect_rtp(MutableBytes buffer, size_t length) noexcept;
  SrtpResult unprotect_rtcp(MutableBytes buffer, size_t length) noexcept;

  static constexpr size_t kMaxInboundStreams = 32;
  size_t inbound_streams() const noexcept { return stream_count_; }
  uint64_t removed_streams() const noexcept { return removed_streams_; }

 private:
  struct Deleter {
    void operator()(srtp_ctx_t_* session) const noexcept;
  };
  enum class Kind : uint8_t { kRtp, kRtcp };
  SrtpResult run(Kind kind, SrtpDirection direction, MutableBytes buffer, size_t length) noexcept;
  // Inbound: `ssrc` was just accepted; keeps the stream table bounded.
  void used(uint32_t ssrc) noexcept;

  struct Stream {
    uint32_t ssrc = 0;
    uint64_t last_use = 0;
  };

  std::unique_ptr<srtp_ctx_t_, Deleter> session_;
  SrtpProfile profile_;
  SrtpDirection direction_;
  std::array<Stream, kMaxInboundStreams> streams_{};
  size_t stream_count_ = 0;
  uint64_t uses_ = 0;
  uint64_t removed_streams_ = 0;
};

}  // namespace turnd::sfu::srtp

// DtlsTransport: the DTLS-SRTP handshake with one participant (RFC 5763,
// RFC 5764), without sockets. Datagrams from the peer go in through feed();
// datagrams for the peer come out through the send function, each at most
// `mtu` bytes so a flight fits through TURN. The owner runs the
// retransmission timer: next_timeout() says when, on_timeout() acts.
//
// When the handshake is done the peer's certificate is checked against the
// SHA-256 fingerprint from its SDP (constant time), the negotiated SRTP
// profile is read, and the SRTP keys are exported ("EXTRACTOR-dtls_srtp")
// and split by our role into the inbound and outbound SrtpSessionConfigs.
// Application data (data channels) is not supported: it is read and dropped.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

#include "sfu/dtls/datagram_bio.h"
#include "sfu/dtls/dtls_context.h"
#include "sfu/dtls/fingerprint.h"
#include "sfu/dtls/openssl_ptr.h"
#include "sfu/srtp/dtls_srtp_keys.h"
#include "sfu/srtp/srtp_profile.h"
#include "turnd/common/bytes.h"

namespace turnd::sfu::dtls {

enum class DtlsRole : uint8_t {
  kClient,  // a=setup:active: we send the ClientHello (tests, or a passive peer)
  kServer,  // a=setup:passive: the browser connects to us (the SFU's normal role)
};

enum class DtlsState : uint8_t {
  kNew,         // created; no handshake message sent or received
  kConnecting,  // handshake in progress (or done, waiting for the peer's fingerprint)
  kConnected,   // handshake done, fingerprint verified, SRTP keys available
  kClosed,      // close_notify sent or received; terminal
  kFailed,      // handshake failure, fatal alert, fingerprint mismatch or no SRTP
                // profile; terminal
};
const char* to_string(DtlsState state) noexcept;

enum class DtlsFailure : uint8_t {
  kNone,
  kHandshake,            // a protocol error or a fatal alert from the peer
  kTimeout,              // too many retransmissions without an answer
  kFingerprintMismatch,  // the peer's certificate is not the one in its SDP
  kNoSrtpProfile,        // the peer negotiated no SRTP profile we support
  kKeyExport,            // exporting the SRTP keying material failed
};
const char* to_string(DtlsFailure failure) noexcept;

struct DtlsTransportOptions {
  DtlsRole role = DtlsRole::kServer;
  size_t mtu = 1200;  // largest datagram sent (UDP payload), 256..1500
  // From the peer's a=fingerprint:sha-256; may also come later through
  // set_remote_fingerprint() (the handshake then waits for it).
  std::optional<Fingerprint> remote_fingerprint;
  uint16_t srtp_replay_window = 1024;
  // RFC 6347 §4.2.4.1: 1 s initial retransmission timer, doubled up to 60 s.
  std::chrono::milliseconds initial_retransmit_timeout{1000};
};

class DtlsTransport {
 public:
  // Called once per outgoing datagram, from inside start()/feed()/
  // on_timeout()/close(); must not throw nor call back into the transport.
  using SendFn = std::function<void(Bytes datagram)>;

  // `context` must outlive the transport. Throws std::runtime_error
  // (OpenSSL) or std::invalid_argument (options).
  DtlsTransport(const DtlsContext& context, const DtlsTransportOptions& options, SendFn send);
  ~DtlsTransport();
  DtlsTransport(const DtlsTransport&) = delete;  // OpenSSL holds pointers into it
  DtlsTransport& operator=(const DtlsTransport&) = delete;

  // Each returns true when state() changed.
  bool start() noexcept;  // kNew -> kConnecting; a client sends its ClientHello
  // One datagram of DTLS records (RFC 7983: first byte 20..63). A server
  // still in kNew starts on it.
  bool feed(Bytes datagram) noexcept;
  bool on_timeout() noexcept;  // retransmits the last flight when its timer ran out
  bool close() noexcept;       // sends close_notify
  bool set_remote_fingerprint(const Fingerprint& fingerprint) noexcept;

  // Time left until on_timeout() is due (zero: now); nullopt: no timer runs.
  std::optional<std::chrono::microseconds> next_timeout() const noexcept;

  DtlsState state() const noexcept { return state_; }
  DtlsFailure failure() const noexcept { return failure_; }
  DtlsRole role() const noexcept { return options_.role; }
  // Set once kConnected.
  std::optional<srtp::SrtpProfile> srtp_profile() const noexcept;
  const std::optional<srtp::SrtpSessionConfigs>& srtp_configs() const noexcept {
    return srtp_configs_;
  }
  const std::optional<Fingerprint>& peer_certificate_fingerprint() const noexcept {
    return peer_fingerprint_;
  }

 private:
  static int verify_callback(int preverify_ok, X509_STORE_CTX* store) noexcept;
  static unsigned int timer_callback(SSL* ssl, unsigned int previous_us) noexcept;

  bool drive() noexcept;  // runs the handshake or reads records; flushes output
  bool handshake_done() noexcept;
  bool finish() noexcept;  // fingerprint, profile, keys -> kConnected or kFailed
  bool handle_error(int ret) noexcept;
  bool fail(DtlsFailure failure) noexcept;
  bool set_state(DtlsState next) noexcept;

  DtlsTransportOptions options_;
  DatagramChannel channel_;
  SslPtr ssl_;
  DtlsState state_ = DtlsState::kNew;
  DtlsFailure failure_ = DtlsFailure::kNone;
  bool handshake_complete_ = false;
  bool fingerprint_rejected_ = false;
  std::optional<Fingerprint> peer_fingerprint_;
  std::optional<srtp::SrtpProfile> profile_;
  std::optional<srtp::SrtpSessionConfigs> srtp_configs_;
};

}  // namespace turnd::sfu::dtls

#include "sfu/dtls/dtls_transport.h"

#include <openssl/crypto.h>
#include <openssl/err.h>

#include <algorithm>
#include <array>
#include <stdexcept>

#include "turnd/common/log.h"

namespace turnd::sfu::dtls {
namespace {

constexpr const char* kTag = "dtls";
constexpr size_t kMinMtu = 256;  // OpenSSL's smallest link MTU for DTLS
constexpr unsigned int kMaxRetransmitUs = 60'000'000;
constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp";  // RFC 5764 §4.2

bool legal_transition(DtlsState from, DtlsState to) noexcept {
  switch (from) {
    case DtlsState::kNew:
      return to == DtlsState::kConnecting || to == DtlsState::kClosed;
    case DtlsState::kConnecting:
      return to == DtlsState::kConnected || to == DtlsState::kClosed || to == DtlsState::kFailed;
    case DtlsState::kConnected:
      return to == DtlsState::kClosed || to == DtlsState::kFailed;
    case DtlsState::kClosed:
    case DtlsState::kFailed:
      return false;
  }
  return false;
}

bool active(DtlsState state) noexcept {
  return state == DtlsState::kConnecting || state == DtlsState::kConnected;
}

}  // namespace

const char* to_string(DtlsState state) noexcept {
  switch (state) {
    case DtlsState::kNew:
      return "new";
    case DtlsState::kConnecting:
      return "connecting";
    case DtlsState::kConnected:
      return "connected";
    case DtlsState::kClosed:
      return "closed";
    case DtlsState::kFailed:
      return "failed";
  }
  return "?";
}

const char* to_string(DtlsFailure failure) noexcept {
  switch (failure) {
    case DtlsFailure::kNone:
      return "none";
    case DtlsFailure::kHandshake:
      return "handshake error";
    case DtlsFailure::kTimeout:
      return "retransmission timeout";
    case DtlsFailure::kFingerprintMismatch:
      return "fingerprint mismatch";
    case DtlsFailure::kNoSrtpProfile:
      return "no SRTP profile";
    case DtlsFailure::kKeyExport:
      return "key export failed";
  }
  return "?";
}

DtlsTransport::DtlsTransport(const DtlsContext& context, const DtlsTransportOptions& options,
                             SendFn send)
    : options_(options), channel_(options_.mtu, std::move(send)) {
  if (options_.mtu < kMinMtu || options_.mtu > kMaxMtu) {
    throw std::invalid_argument("DTLS transport: MTU must be 256..1500");
  }
  if (options_.initial_retransmit_timeout.count() <= 0) {
    throw std::invalid_argument("DTLS transport: retransmission timeout must be positive");
  }
  ssl_.reset(SSL_new(context.ssl_ctx()));
  if (ssl_ == nullptr) throw std::runtime_error("DTLS transport: SSL_new failed");
  SSL* ssl = ssl_.get();
  BIO* bio = new_datagram_bio(context.bio_method(), channel_);
  if (bio == nullptr) throw std::runtime_error("DTLS transport: BIO_new failed");
  SSL_set_bio(ssl, bio, bio);  // one reference, owned by ssl
  SSL_set_app_data(ssl, this);
  SSL_set_verify(ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_callback);
  SSL_set_options(ssl, SSL_OP_NO_QUERY_MTU);
  if (DTLS_set_link_mtu(ssl, static_cast<long>(options_.mtu)) != 1) {
    throw std::runtime_error("DTLS transport: MTU rejected");
  }
  DTLS_set_timer_cb(ssl, timer_callback);
  if (options_.role == DtlsRole::kClient) {
    SSL_set_connect_state(ssl);
  } else {
    SSL_set_accept_state(ssl);
  }
}

DtlsTransport::~DtlsTransport() = default;

bool DtlsTransport::start() noexcept {
  if (state_ != DtlsState::kNew) return false;
  set_state(DtlsState::kConnecting);
  if (options_.role == DtlsRole::kClient) drive();  // sends the ClientHello
  return true;
}

bool DtlsTransport::feed(Bytes datagram) noexcept {
  bool changed = false;
  if (state_ == DtlsState::kNew && options_.role == DtlsRole::kServer) changed = start();
  if (!active(state_) || datagram.empty()) return changed;
  channel_.set_input(datagram);
  return drive() || changed;
}

bool DtlsTransport::on_timeout() noexcept {
  if (!active(state_)) return false;
  ERR_clear_error();
  long result = DTLSv1_handle_timeout(ssl_.get());  // retransmits only if the timer expired
  channel_.flush();
  if (result < 0) return fail(DtlsFailure::kTimeout);
  return false;
}

bool DtlsTransport::close() noexcept {
  if (state_ == DtlsState::kNew) return set_state(DtlsState::kClosed);
  if (!active(state_)) return false;
  ERR_clear_error();
  SSL_shutdown(ssl_.get());  // sends close_notify
  channel_.flush();
  ERR_clear_error();
  return set_state(DtlsState::kClosed);
}

bool DtlsTransport::set_remote_fingerprint(const Fingerprint& fingerprint) noexcept {
  options_.remote_fingerprint = fingerprint;
  if (state_ == DtlsState::kConnecting && handshake_complete_) return finish();
  return false;
}

std::optional<std::chrono::microseconds> DtlsTransport::next_timeout() const noexcept {
  if (!active(state_)) return std::nullopt;
  timeval left{};
  if (DTLSv1_get_timeout(ssl_.get(), &left) != 1) return std::nullopt;
  return std::chrono::seconds(left.tv_sec) + std::chrono::microseconds(left.tv_usec);
}

std::optional<srtp::SrtpProfile> DtlsTransport::srtp_profile() const noexcept {
  return state_ == DtlsState::kConnected ? profile_ : std::nullopt;
}

bool DtlsTransport::drive() noexcept {
  bool changed = false;
  ERR_clear_error();
  if (!handshake_complete_) {
    int result = SSL_do_handshake(ssl_.get());
    if (result == 1) {
      handshake_complete_ = true;
      changed = finish();
    } else {
      changed = handle_error(result);
    }
  }
  // After the handshake: alerts, the peer's retransmitted last flight (we
  // answer with ours), and application data, which is not supported and
  // dropped.
  while (handshake_complete_ && active(state_)) {
    std::array<char, 2048> scratch;
    int result = SSL_read(ssl_.get(), scratch.data(), static_cast<int>(scratch.size()));
    if (result > 0) continue;
    changed = handle_error(result) || changed;
    break;
  }
  channel_.clear_input();
  channel_.flush();
  return changed;
}

bool DtlsTransport::handle_error(int result) noexcept {
  int error = SSL_get_error(ssl_.get(), result);
  switch (error) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
      return false;
    case SSL_ERROR_ZERO_RETURN:  // close_notify from the peer: answer in kind
      SSL_shutdown(ssl_.get());
      ERR_clear_error();
      return set_state(DtlsState::kClosed);
    default: {
      char detail[256] = "";
      ERR_error_string_n(ERR_peek_last_error(), detail, sizeof detail);
      LOG_DEBUG(kTag, "handshake error %d: %s", error, detail);
      ERR_clear_error();
      return fail(fingerprint_rejected_ ? DtlsFailure::kFingerprintMismatch
                                        : DtlsFailure::kHandshake);
    }
  }
}

// RFC 5763 §5 / RFC 8842: the certificate must be the one the peer's SDP
// named; then RFC 5764 §4.1.2 (profile) and §4.2 (keys).
bool DtlsTransport::finish() noexcept {
  SSL* ssl = ssl_.get();
  peer_fingerprint_ = Fingerprint::of(SSL_get0_peer_certificate(ssl));
  if (!peer_fingerprint_) return fail(DtlsFailure::kHandshake);
  if (!options_.remote_fingerprint) {
    LOG_DEBUG(kTag, "handshake done, waiting for the peer's fingerprint");
    return false;
  }
  if (!peer_fingerprint_->matches(*options_.remote_fingerprint)) {
    return fail(DtlsFailure::kFingerprintMismatch);
  }
  const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(ssl);
  auto profile = selected != nullptr ? srtp::profile_from_dtls_id(selected->id) : std::nullopt;
  if (!profile) return fail(DtlsFailure::kNoSrtpProfile);

  std::array<unsigned char, 2 * (srtp::kMasterKeyLength + srtp::kMaxMasterSaltLength)> material{};
  size_t length = srtp::dtls_srtp_exporter_length(*profile);
  bool exported = SSL_export_keying_material(ssl, material.data(), length, kExporterLabel,
                                             sizeof kExporterLabel - 1, nullptr, 0, 0) == 1;
  if (exported) {
    srtp_configs_ = srtp::split_dtls_srtp_keys(
        *profile, Bytes(reinterpret_cast<const std::byte*>(material.data()), length),
        options_.role == DtlsRole::kClient ? srtp::LocalDtlsRole::kClient
                                           : srtp::LocalDtlsRole::kServer,
        options_.srtp_replay_window);
  }
  OPENSSL_cleanse(material.data(), material.size());
  if (!srtp_configs_) return fail(DtlsFailure::kKeyExport);
  profile_ = profile;
  LOG_INFO(kTag, "connected as %s, SRTP profile %s",
           options_.role == DtlsRole::kClient ? "client" : "server", srtp::to_string(*profile));
  return set_state(DtlsState::kConnected);
}

bool DtlsTransport::fail(DtlsFailure failure) noexcept {
  if (!active(state_)) return false;
  failure_ = failure;
  srtp_configs_.reset();  // never hand out keys of a failed handshake
  LOG_INFO(kTag, "failed: %s", to_string(failure));
  return set_state(DtlsState::kFailed);
}

// The one place state_ changes: checks the transition and logs it.
bool DtlsTransport::set_state(DtlsState next) noexcept {
  if (next == state_) return false;
  if (!legal_transition(state_, next)) {
    LOG_ERROR(kTag, "illegal transition %s -> %s", to_string(state_), to_string(next));
    return false;
  }
  LOG_DEBUG(kTag, "%s -> %s", to_string(state_), to_string(next));
  state_ = next;
  return true;
}

// Replaces OpenSSL's chain verification: a self-signed certificate is fine,
// but when the peer's SDP fingerprint is known a different certificate ends
// the handshake right here, with a bad_certificate alert to the peer.
int DtlsTransport::verify_callback(int, X509_STORE_CTX* store) noexcept {
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* self = ssl != nullptr ? static_cast<DtlsTransport*>(SSL_get_app_data(ssl)) : nullptr;
  if (self == nullptr || !self->options_.remote_fingerprint) return 1;  // checked in finish()
  auto presented = Fingerprint::of(X509_STORE_CTX_get0_cert(store));
  if (presented && presented->matches(*self->options_.remote_fingerprint)) return 1;
  self->fingerprint_rejected_ = true;
  X509_STORE_CTX_set_error(store, X509_V_ERR_APPLICATION_VERIFICATION);
  return 0;
}

unsigned int DtlsTransport::timer_callback(SSL* ssl, unsigned int previous_us) noexcept {
  if (previous_us == 0) {
    auto* self = static_cast<DtlsTransport*>(SSL_get_app_data(ssl));
    auto initial = std::chrono::duration_cast<std::chrono::microseconds>(
        self->options_.initial_retransmit_timeout);
    return static_cast<unsigned int>(std::min<long long>(initial.count(), kMaxRetransmitUs));
  }
  return previous_us >= kMaxRetransmitUs / 2 ? kMaxRetransmitUs : previous_us * 2;
}

}  // namespace turnd::sfu::dtls

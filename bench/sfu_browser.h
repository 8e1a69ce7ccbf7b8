// A simulated browser for the SFU benchmarks: what Chromium does on the wire
// for one participant, without media engines. Two PeerConnections, as the
// SFU expects (docs/SFU.md): a publisher (offers an Opus and a VP8 track with
// their SSRCs) and a subscriber (answers the SFU's offers). Each one sends
// ICE checks like Chromium's (USERNAME, PRIORITY, ICE-CONTROLLING,
// USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT), runs a real DTLS client
// (OpenSSL, its own certificate, checked against the SFU's fingerprint) and
// real SRTP sessions with the keys DTLS exported.
//
// No sockets: datagrams for the SFU leave through the Send function given to
// the constructor, datagrams from the SFU come in through on_datagram(). The
// in-memory micro-benchmark and the UDP load generator wire them differently.
// Control plane (setup) may allocate; make_rtp() and on_datagram() for SRTP
// do not.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bench/latency_histogram.h"
#include "sfu/dtls/dtls_certificate.h"
#include "sfu/dtls/dtls_context.h"
#include "sfu/dtls/dtls_transport.h"
#include "sfu/srtp/srtp_library.h"
#include "sfu/srtp/srtp_session.h"
#include "turnd/common/bytes.h"
#include "turnd/stun/integrity.h"

namespace turnd::sfu::bench {

enum class Pc : uint8_t { kPublisher = 0, kSubscriber = 1 };
enum class Media : uint8_t { kAudio = 0, kVideo = 1 };

struct BrowserOptions {
  // Plain RTP packet sizes (header and extensions included, before the SRTP tag).
  size_t audio_bytes = 100;
  size_t video_bytes = 1200;
  // The use_srtp profiles the DTLS client offers. Chromium offers AES-GCM and
  // AES-CM; the SFU, as DTLS server, picks its first choice: AES-GCM.
  std::string srtp_profiles = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";
  // PRIORITY of the ICE checks: Chromium's for a host candidate by default;
  // kRelayTcpPriority when the browser reaches the SFU through TURN over TCP.
  uint32_t ice_priority = kHostPriority;
  // Where subscribers record the one-way delay of each decrypted RTP packet
  // (publishers always stamp their send time); null: not measured.
  LatencyHistogram* latency = nullptr;
  // false: the offer announces no SSRC for video (no a=ssrc, as in a
  // simulcast offer) and video packets carry their mid (extension 4): the
  // SFU learns the SSRC from them.
  bool announce_video_ssrc = true;

  static constexpr uint32_t kHostPriority = 0x6E0001FF;
  // Type preference 1 (relayed over TCP), local preference 0x7E1E, component 1.
  static constexpr uint32_t kRelayTcpPriority = 0x017E1EFF;
};

// What a subscriber PeerConnection received, decrypted.
struct ReceiveCounters {
  uint64_t rtp = 0, rtp_bytes = 0, rtcp = 0, srtp_errors = 0, other = 0;
};

class SimulatedBrowser {
 public:
  using Send = std::function<void(Pc pc, Bytes datagram)>;

  // `index` makes the participant's SSRCs and ICE credentials unique.
  // Throws std::runtime_error when OpenSSL or libsrtp refuse.
  SimulatedBrowser(int participant, const srtp::SrtpLibrary& srtp, stun::MacContext& mac,
                   const BrowserOptions& options, Send send);
  ~SimulatedBrowser();
  SimulatedBrowser(const SimulatedBrowser&) = delete;
  SimulatedBrowser& operator=(const SimulatedBrowser&) = delete;

  // Signalling (JSON text frames of docs/SFU.md): the join, then what the
  // browser client does with each server message — `joined`: publish (an
  // Opus and a VP8 track); `publish-answer`: learn the SFU's transport;
  // `offer`: answer it. Returns the reply to send, if any. Throws
  // std::runtime_error on an `error` message or an SDP we cannot use.
  std::string join_message(const std::string& room, const std::string& code) const;
  std::optional<std::string> on_signal(const std::string& text);
  // Active tracks in the latest subscriber offer answered.
  size_t offered_tracks() const noexcept { return offered_tracks_; }
  bool published() const noexcept { return pcs_[0].remote_known; }
  bool has_remote(Pc pc) const noexcept { return pcs_[index(pc)].remote_known; }

  // ICE + DTLS: a nominating check, then the ClientHello.
  void connect(Pc pc);
  // A consent refresh (RFC 7675), as Chromium sends every ~5 s.
  void send_consent(Pc pc);
  bool connected(Pc pc) const noexcept;
  void on_dtls_timer();  // DTLS retransmissions (the load generator's clock)

  // A datagram from the SFU on `pc`: STUN replies are ignored, DTLS goes to
  // the client, SRTP/SRTCP is decrypted (only every `verify_every`-th RTP
  // packet on the subscriber when > 1: the rest are counted by their header).
  void on_datagram(Pc pc, MutableBytes datagram, size_t verify_every = 1) noexcept;
  const ReceiveCounters& received() const noexcept { return received_; }

  // Builds the next packet of `media` (sequence, timestamp and extensions
  // like Chromium's, the send time in the payload: bench/latency_histogram.h)
  // into `buffer`, SRTP-protects it; returns its length
  // (0 when the buffer is too small or there are no keys yet).
  size_t make_rtp(Media media, MutableBytes buffer) noexcept;
  uint32_t ssrc(Media media) const noexcept { return ssrcs_[static_cast<size_t>(media)]; }
  uint64_t sent(Media media) const noexcept { return sent_[static_cast<size_t>(media)]; }
  // A NACK from the subscriber PC for `media_ssrc`'s packets `lost`,
  // SRTCP-protected into `buffer`; its length (0: no keys, or too small).
  size_t make_nack(uint32_t media_ssrc, std::span<const uint16_t> lost,
                   MutableBytes buffer) noexcept;
  // Decrypts a forwarded packet on the subscriber PC (for setup checks).
  std::optional<std::vector<std::byte>> unprotect_forwarded(Bytes datagram);

 private:
  struct PeerConnection {
    std::string ufrag, pwd;          // ours
    std::string sfu_ufrag, sfu_pwd;  // from the SFU's SDP
    std::optional<dtls::Fingerprint> sfu_fingerprint;
    std::unique_ptr<dtls::DtlsTransport> dtls;
    std::optional<srtp::SrtpSession> in, out;
    bool remote_known = false;
    uint8_t transaction = 0;
  };
  static size_t index(Pc pc) noexcept { return static_cast<size_t>(pc); }
  void send_check(Pc pc, bool nominate);
  void on_dtls(Pc pc, Bytes datagram) noexcept;
  void learn_remote(Pc pc, const std::string& sdp);
  std::string publish_message() const;
  std::string answer_message(const std::string& offer_sdp, size_t active_tracks);

  int index_;
  const srtp::SrtpLibrary& srtp_;
  stun::MacContext& mac_;
  BrowserOptions options_;
  Send send_;
  dtls::DtlsCertificate certificate_;
  dtls::DtlsContext context_;
  std::array<PeerConnection, 2> pcs_;
  std::array<uint32_t, 2> ssrcs_{};
  std::array<uint16_t, 2> sequence_{};
  uint16_t transport_seq_ = 0;  // transport-wide, across both media
  std::array<uint32_t, 2> timestamp_{};
  std::array<uint64_t, 2> sent_{};
  size_t offered_tracks_ = 0;
  ReceiveCounters received_;
};

}  // namespace turnd::sfu::bench

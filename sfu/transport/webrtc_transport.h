// WebRtcTransport: one PeerConnection's transport on the SFU side — ICE-lite,
// then DTLS, then SRTP/SRTCP, all over the paths the browser's checks found
// (BUNDLE and rtcp-mux only, so one transport carries every m-line).
//
//   datagram from a path ──(RFC 7983 first byte)──> STUN: IceAgent (by the endpoint)
//                                                 DTLS: DtlsTransport.feed
//                                                 RTP/RTCP: SRTP unprotect -> listener
//   send_rtp / send_rtcp: SRTP protect in place -> PacketOut on the selected path
//
// No sockets, no timers of its own: the media endpoint routes packets in and
// calls on_timer(). Runs on the media thread only; the packet path neither
// locks nor allocates.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "sfu/dtls/dtls_context.h"
#include "sfu/dtls/dtls_transport.h"
#include "sfu/ice/ice_agent.h"
#include "sfu/srtp/srtp_library.h"
#include "sfu/srtp/srtp_session.h"
#include "turnd/common/bytes.h"
#include "turnd/common/clock.h"
#include "turnd/stun/integrity.h"

namespace turnd::sfu::transport {

// The transport's lifecycle, from its ICE and DTLS states.
enum class TransportState : uint8_t {
  kNew,           // waiting for the browser's first valid check
  kConnecting,    // ICE found a path; DTLS handshake under way
  kConnected,     // SRTP keys ready: media flows
  kDisconnected,  // ICE consent is late; media still goes out
  kFailed,        // ICE consent expired or DTLS failed: the transport is dead
  kClosed,        // closed on purpose
};
const char* to_string(TransportState state) noexcept;

// Where packets leave: the media endpoint's sockets (or, later, a TURN
// allocation in the same process).
class PacketOut {
 public:
  virtual ~PacketOut() = default;
  virtual void send(const ice::Path& path, Bytes packet) noexcept = 0;
  // A buffer to build the next packet for `path` in (a socket's send-pool
  // buffer, so send() takes it without a copy), valid until that send().
  virtual MutableBytes send_buffer(const ice::Path& path) noexcept = 0;
};

class WebRtcTransport;

// Told what arrives on a transport; called on the media thread.
class TransportListener {
 public:
  virtual ~TransportListener() = default;
  virtual void on_state(WebRtcTransport& transport, TransportState state) noexcept = 0;
  // A decrypted RTP / RTCP packet; `packet` may be modified in place and is
  // followed by at least kPacketTailroom bytes of the caller's buffer.
  virtual void on_rtp(WebRtcTransport& transport, MutableBytes packet) noexcept = 0;
  virtual void on_rtcp(WebRtcTransport& transport, MutableBytes packet) noexcept = 0;
};

struct TransportDeps {
  const Clock& clock;
  const dtls::DtlsContext& dtls;
  const srtp::SrtpLibrary& srtp;
  stun::MacContext& mac;
  PacketOut& out;
};

struct TransportCounters {
  uint64_t rtp_in = 0, rtp_in_bytes = 0, rtcp_in = 0;
  uint64_t rtp_out = 0, rtp_out_bytes = 0, rtcp_out = 0;
  uint64_t srtp_errors = 0;  // failed unprotect (tampered, replayed, too old)
  uint64_t dropped = 0;      // not for us, or before the keys were ready
};

class WebRtcTransport {
 public:
  // Room the SRTP trailer needs after a packet handed to send_rtp/send_rtcp.
  static constexpr size_t kPacketTailroom = 32;

  // `remote_fingerprint` from the peer's SDP; `remote_ufrag` may be empty
  // when the peer's description is not known yet.
  WebRtcTransport(TransportDeps deps, TransportListener& listener,
                  std::optional<dtls::Fingerprint> remote_fingerprint, std::string remote_ufrag);
  ~WebRtcTransport();
  WebRtcTransport(const WebRtcTransport&) = delete;
  WebRtcTransport& operator=(const WebRtcTransport&) = delete;

  ice::IceAgent& ice() noexcept { return ice_; }
  const ice::IceCredentials& local_ice() const noexcept { return ice_.local_credentials(); }
  TransportState state() const noexcept { return state_; }
  const TransportCounters& counters() const noexcept { return counters_; }
  void set_remote(const dtls::Fingerprint& fingerprint, const std::string& ufrag);
  // An ICE restart (ice::IceAgent::restart) over the same DTLS association
  // and SRTP keys; a transport failed by ICE consent alone comes back.
  // False when DTLS has failed or the transport is closed (nothing to save).
  bool restart_ice(ice::IceCredentials local, std::string remote_ufrag);

  // The media endpoint ran a STUN packet through ice(): react to the outcome.
  void after_stun(const ice::StunOutcome& outcome) noexcept;
  // A non-STUN datagram from a path the ICE agent knows.
  void on_datagram(const ice::Path& from, MutableBytes packet, size_t tailroom) noexcept;

  // Protects packet[0, length) in place (buffer must have kPacketTailroom
  // after it) and sends it on the selected path; false when it cannot.
  bool send_rtp(MutableBytes buffer, size_t length) noexcept;
  bool send_rtcp(MutableBytes buffer, size_t length) noexcept;
  // The same for a packet that stays the caller's (forwarding one packet to
  // many subscribers): copied once, into PacketOut's send buffer, and
  // protected there.
  bool forward_rtp(Bytes packet) noexcept;
  bool forward_rtcp(Bytes packet) noexcept;

  // Consent and DTLS retransmissions; call every ~100 ms.
  void on_timer(SteadyTime now) noexcept;
  void close() noexcept;

  void* user = nullptr;  // the owner's back pointer (participant, PeerConnection role)

 private:
  void send_dtls(Bytes datagram) noexcept;
  void update_state() noexcept;
  void on_dtls_connected() noexcept;

  TransportDeps deps_;
  TransportListener& listener_;
  ice::IceAgent ice_;
  dtls::DtlsTransport dtls_;
  std::optional<srtp::SrtpSession> srtp_in_;
  std::optional<srtp::SrtpSession> srtp_out_;
  TransportState state_ = TransportState::kNew;
  TransportCounters counters_;
  bool closed_ = false;
};

}  // namespace turnd::sfu::transport

#include "sfu/transport/webrtc_transport.h"

#include <cstring>

#include "turnd/common/log.h"

namespace turnd::sfu::transport {
namespace {

// RFC 7983 §7: what a datagram on a bundled WebRTC transport is.
enum class Kind : uint8_t { kStun, kDtls, kRtp, kRtcp, kOther };

Kind classify(Bytes packet) noexcept {
  if (packet.empty()) return Kind::kOther;
  auto b = static_cast<uint8_t>(packet[0]);
  if (b <= 3) return Kind::kStun;
  if (b >= 20 && b <= 63) return Kind::kDtls;
  if (b >= 128 && b <= 191) {
    if (packet.size() < 2) return Kind::kOther;
    auto pt = static_cast<uint8_t>(packet[1]);
    return pt >= 192 && pt <= 223 ? Kind::kRtcp : Kind::kRtp;  // RFC 5761 §4
  }
  return Kind::kOther;
}

dtls::DtlsTransportOptions dtls_options(std::optional<dtls::Fingerprint> fingerprint) {
  dtls::DtlsTransportOptions o;
  o.role = dtls::DtlsRole::kServer;  // we answer with a=setup:passive
  o.remote_fingerprint = fingerprint;
  return o;
}

}  // namespace

const char* to_string(TransportState state) noexcept {
  switch (state) {
    case TransportState::kNew:
      return "new";
    case TransportState::kConnecting:
      return "connecting";
    case TransportState::kConnected:
      return "connected";
    case TransportState::kDisconnected:
      return "disconnected";
    case TransportState::kFailed:
      return "failed";
    case TransportState::kClosed:
      return "closed";
  }
  return "?";
}

WebRtcTransport::WebRtcTransport(TransportDeps deps, TransportListener& listener,
                                 std::optional<dtls::Fingerprint> remote_fingerprint,
                                 std::string remote_ufrag)
    : deps_(deps),
      listener_(listener),
      ice_(ice::IceAgentConfig{ice::IceCredentials::generate(), std::move(remote_ufrag)},
           deps.clock, deps.mac),
      dtls_(deps.dtls, dtls_options(remote_fingerprint),
            [this](Bytes datagram) { send_dtls(datagram); }) {}

WebRtcTransport::~WebRtcTransport() = default;

void WebRtcTransport::set_remote(const dtls::Fingerprint& fingerprint, const std::string& ufrag) {
  ice_.set_remote_ufrag(ufrag);
  if (dtls_.set_remote_fingerprint(fingerprint)) update_state();
}

bool WebRtcTransport::restart_ice(ice::IceCredentials local, std::string remote_ufrag) {
  dtls::DtlsState dtls = dtls_.state();
  if (closed_ || dtls == dtls::DtlsState::kFailed || dtls == dtls::DtlsState::kClosed) return false;
  ice_.restart(std::move(local), std::move(remote_ufrag));
  if (state_ == TransportState::kFailed) {
    LOG_DEBUG("sfu", "transport %s: failed -> connecting (ICE restart)",
              ice_.local_credentials().ufrag.c_str());
    state_ = TransportState::kConnecting;
    listener_.on_state(*this, state_);
  }
  update_state();
  return true;
}

void WebRtcTransport::after_stun(const ice::StunOutcome& outcome) noexcept {
  if (outcome.state_changed || outcome.selected_changed) update_state();
}

void WebRtcTransport::on_datagram(const ice::Path& from, MutableBytes packet,
                                  size_t tailroom) noexcept {
  (void)from;
  (void)tailroom;
  if (closed_) return;
  switch (classify(packet)) {
    case Kind::kDtls:
      if (dtls_.feed(packet)) update_state();
      return;
    case Kind::kRtp: {
      if (!srtp_in_) break;
      auto r = srtp_in_->unprotect_rtp(packet, packet.size());
      if (!r.ok()) {
        counters_.srtp_errors++;
        return;
      }
      counters_.rtp_in++;
      counters_.rtp_in_bytes += r.length;
      listener_.on_rtp(*this, packet.first(r.length));
      return;
    }
    case Kind::kRtcp: {
      if (!srtp_in_) break;
      auto r = srtp_in_->unprotect_rtcp(packet, packet.size());
      if (!r.ok()) {
        counters_.srtp_errors++;
        return;
      }
      counters_.rtcp_in++;
      listener_.on_rtcp(*this, packet.first(r.length));
      return;
    }
    case Kind::kStun:
    case Kind::kOther:
      break;
  }
  counters_.dropped++;
}

bool WebRtcTransport::send_rtp(MutableBytes buffer, size_t length) noexcept {
  const ice::Path* path = ice_.selected();
  if (!srtp_out_ || path == nullptr || closed_) return false;
  auto r = srtp_out_->protect_rtp(buffer, length);
  if (!r.ok()) return false;
  counters_.rtp_out++;
  counters_.rtp_out_bytes += length;
  deps_.out.send(*path, buffer.first(r.length));
  return true;
}

bool WebRtcTransport::send_rtcp(MutableBytes buffer, size_t length) noexcept {
  const ice::Path* path = ice_.selected();
  if (!srtp_out_ || path == nullptr || closed_) return false;
  auto r = srtp_out_->protect_rtcp(buffer, length);
  if (!r.ok()) return false;
  counters_.rtcp_out++;
  deps_.out.send(*path, buffer.first(r.length));
  return true;
}

bool WebRtcTransport::forward_rtp(Bytes packet) noexcept {
  const ice::Path* path = ice_.selected();
  if (!srtp_out_ || path == nullptr || closed_) return false;
  MutableBytes buffer = deps_.out.send_buffer(*path);
  if (packet.size() + kPacketTailroom > buffer.size()) return false;
  std::memcpy(buffer.data(), packet.data(), packet.size());
  auto r = srtp_out_->protect_rtp(buffer, packet.size());
  if (!r.ok()) return false;
  counters_.rtp_out++;
  counters_.rtp_out_bytes += packet.size();
  deps_.out.send(*path, buffer.first(r.length));
  return true;
}

bool WebRtcTransport::forward_rtcp(Bytes packet) noexcept {
  const ice::Path* path = ice_.selected();
  if (!srtp_out_ || path == nullptr || closed_) return false;
  MutableBytes buffer = deps_.out.send_buffer(*path);
  if (packet.size() + kPacketTailroom > buffer.size()) return false;
  std::memcpy(buffer.data(), packet.data(), packet.size());
  auto r = srtp_out_->protect_rtcp(buffer, packet.size());
  if (!r.ok()) return false;
  counters_.rtcp_out++;
  deps_.out.send(*path, buffer.first(r.length));
  return true;
}

// DTLS flights go where the browser's checks came from: the selected path,
// or before a nomination the path of the latest valid check.
void WebRtcTransport::send_dtls(Bytes datagram) noexcept {
  const ice::Path* path = ice_.selected();
  std::optional<ice::Path> any;
  if (path == nullptr) {
    ice_.for_each_path([&](const ice::Path& p) { any = p; });
    if (!any) return;
    path = &*any;
  }
  deps_.out.send(*path, datagram);
}

void WebRtcTransport::on_dtls_connected() noexcept {
  const auto& configs = dtls_.srtp_configs();
  if (!configs) return;
  try {
    srtp_in_.emplace(deps_.srtp, configs->inbound);
    srtp_out_.emplace(deps_.srtp, configs->outbound);
  } catch (const std::exception& e) {
    LOG_ERROR("sfu", "SRTP session refused: %s", e.what());
    srtp_in_.reset();
    srtp_out_.reset();
  }
}

void WebRtcTransport::on_timer(SteadyTime now) noexcept {
  if (closed_) return;
  bool changed = ice_.on_timer(now);
  if (auto wait = dtls_.next_timeout(); wait && wait->count() == 0) changed |= dtls_.on_timeout();
  if (changed) update_state();
}

void WebRtcTransport::close() noexcept {
  if (closed_) return;
  dtls_.close();
  closed_ = true;
  update_state();
}

// One place maps ICE and DTLS to the transport's state and tells the listener.
void WebRtcTransport::update_state() noexcept {
  TransportState next = state_;
  ice::IceState ice = ice_.state();
  dtls::DtlsState dtls = dtls_.state();
  if (dtls == dtls::DtlsState::kConnected && !srtp_out_ && !closed_) on_dtls_connected();
  if (closed_) {
    next = TransportState::kClosed;
  } else if (ice == ice::IceState::kFailed || dtls == dtls::DtlsState::kFailed ||
             dtls == dtls::DtlsState::kClosed) {
    next = TransportState::kFailed;
  } else if (dtls == dtls::DtlsState::kConnected && srtp_out_) {
    next = ice == ice::IceState::kDisconnected ? TransportState::kDisconnected
                                               : TransportState::kConnected;
  } else if (ice != ice::IceState::kNew) {
    next = TransportState::kConnecting;
  }
  if (next == state_) return;
  if (state_ == TransportState::kClosed || state_ == TransportState::kFailed) return;  // terminal
  LOG_DEBUG("sfu", "transport %s: %s -> %s", ice_.local_credentials().ufrag.c_str(),
            to_string(state_), to_string(next));
  state_ = next;
  listener_.on_state(*this, next);
}

}  // namespace turnd::sfu::transport

#include "bench/sfu_browser.h"

#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sfu/rtp/rtcp_feedback.h"
#include "sfu/sdp/parser.h"
#include "turnd/stun/attr/ice_controlling.h"
#include "turnd/stun/attr/priority.h"
#include "turnd/stun/attr/use_candidate.h"
#include "turnd/stun/attr/username.h"
#include "turnd/stun/message.h"

namespace turnd::sfu::bench {
namespace {

using nlohmann::json;

// Chromium's offer (tests/unit/sfu/sdp/fixtures/chromium_offer_tracks.sdp),
// cut down to Opus and VP8 with RTX; @UFRAG@, @PWD@, @FP@, @A@, @V@, @R@ are
// filled in per participant.
constexpr const char* kOfferTemplate =
    "v=0\r\n"
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=group:BUNDLE 0 1\r\n"
    "a=extmap-allow-mixed\r\n"
    "a=msid-semantic: WMS stream\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:@UFRAG@\r\n"
    "a=ice-pwd:@PWD@\r\n"
    "a=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 @FP@\r\n"
    "a=setup:actpass\r\n"
    "a=mid:0\r\n"
    "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
    "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
    "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
    "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
    "a=sendrecv\r\n"
    "a=msid:stream audio-track\r\n"
    "a=rtcp-mux\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
    "a=rtcp-fb:111 transport-cc\r\n"
    "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
    "a=ssrc:@A@ cname:benchcname\r\n"
    "a=ssrc:@A@ msid:stream audio-track\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=rtcp:9 IN IP4 0.0.0.0\r\n"
    "a=ice-ufrag:@UFRAG@\r\n"
    "a=ice-pwd:@PWD@\r\n"
    "a=ice-options:trickle\r\n"
    "a=fingerprint:sha-256 @FP@\r\n"
    "a=setup:actpass\r\n"
    "a=mid:1\r\n"
    "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n"
    "a=extmap:13 urn:3gpp:video-orientation\r\n"
    "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n"
    "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n"
    "a=sendrecv\r\n"
    "a=msid:stream video-track\r\n"
    "a=rtcp-mux\r\n"
    "a=rtcp-rsize\r\n"
    "a=rtpmap:96 VP8/90000\r\n"
    "a=rtcp-fb:96 goog-remb\r\n"
    "a=rtcp-fb:96 transport-cc\r\n"
    "a=rtcp-fb:96 ccm fir\r\n"
    "a=rtcp-fb:96 nack\r\n"
    "a=rtcp-fb:96 nack pli\r\n"
    "a=rtpmap:97 rtx/90000\r\n"
    "a=fmtp:97 apt=96\r\n"
    "a=ssrc-group:FID @V@ @R@\r\n"
    "a=ssrc:@V@ cname:benchcname\r\n"
    "a=ssrc:@V@ msid:stream video-track\r\n"
    "a=ssrc:@R@ cname:benchcname\r\n"
    "a=ssrc:@R@ msid:stream video-track\r\n";

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// ice-chars, unique per participant and PeerConnection.
std::string credential(const char* prefix, int index, Pc pc, size_t length) {
  std::string s = std::string(prefix) + std::to_string(index) + (pc == Pc::kPublisher ? "p" : "s");
  while (s.size() < length) s += 'x';
  return s;
}

sdp::SessionDescription parse_sdp(const std::string& text) {
  auto parsed = sdp::parse(text);
  if (auto* e = std::get_if<sdp::SdpError>(&parsed)) throw std::invalid_argument(e->message());
  return std::get<sdp::SessionDescription>(std::move(parsed));
}

enum class Kind : uint8_t { kStun, kDtls, kRtp, kRtcp, kOther };

Kind classify(Bytes d) noexcept {  // RFC 7983
  if (d.size() < 2) return Kind::kOther;
  auto b = static_cast<uint8_t>(d[0]);
  if (b <= 3) return Kind::kStun;
  if (b >= 20 && b <= 63) return Kind::kDtls;
  if (b >= 128 && b <= 191) {
    auto pt = static_cast<uint8_t>(d[1]);
    return pt >= 192 && pt <= 223 ? Kind::kRtcp : Kind::kRtp;
  }
  return Kind::kOther;
}

// RFC 8285 one-byte header extensions, padded to 12 bytes: audio carries
// ssrc-audio-level (id 1) and abs-send-time (id 2), video abs-send-time and
// video-orientation (id 13), both the transport-wide sequence number (id 3),
// with the IDs of the offer above: what Chromium sends. `mid`: video also
// carries sdes:mid "1" (id 4).
size_t write_extensions(std::byte* p, Media media, uint32_t abs_send_time, uint16_t transport_seq,
                        bool mid) noexcept {
  store_be16(p, 0xBEDE);
  store_be16(p + 2, 3);  // three 32-bit words
  std::byte* e = p + 4;
  std::fill(e, e + 12, std::byte{0});
  size_t i = 0;
  if (media == Media::kAudio) {
    e[i++] = std::byte{0x10};       // id 1, 1 byte
    e[i++] = std::byte{0x80 | 40};  // voice, -40 dBov
  }
  e[i++] = std::byte{0x22};  // id 2, 3 bytes
  e[i++] = std::byte(abs_send_time >> 16);
  e[i++] = std::byte(abs_send_time >> 8);
  e[i++] = std::byte(abs_send_time);
  e[i++] = std::byte{0x31};  // id 3, 2 bytes
  e[i++] = std::byte(transport_seq >> 8);
  e[i++] = std::byte(transport_seq);
  if (media == Media::kVideo) {
    e[i++] = std::byte{0xD0};  // id 13, 1 byte
    e[i++] = std::byte{0};
    if (mid) {
      e[i++] = std::byte{0x40};  // id 4, 1 byte
      e[i++] = std::byte{'1'};
    }
  }
  return 16;
}

}  // namespace

SimulatedBrowser::SimulatedBrowser(int participant, const srtp::SrtpLibrary& srtp,
                                   stun::MacContext& mac, const BrowserOptions& options, Send send)
    : index_(participant),
      srtp_(srtp),
      mac_(mac),
      options_(options),
      send_(std::move(send)),
      certificate_(dtls::DtlsCertificate::generate()),
      context_(certificate_, [&] {
        dtls::DtlsContextOptions o;
        o.srtp_profiles = options.srtp_profiles;
        return o;
      }()) {
  for (Pc pc : {Pc::kPublisher, Pc::kSubscriber}) {
    pcs_[index(pc)].ufrag = credential("b", participant, pc, 8);
    pcs_[index(pc)].pwd = credential("browserpassword", participant, pc, 24);
  }
  uint32_t base = 0x10000000u + static_cast<uint32_t>(participant) * 16;
  ssrcs_ = {base + 1, base + 2};
  sequence_ = {static_cast<uint16_t>(participant * 1000),
               static_cast<uint16_t>(participant * 3000 + 7)};
  timestamp_ = {static_cast<uint32_t>(participant) * 48000u,
                static_cast<uint32_t>(participant) * 90000u};
}

SimulatedBrowser::~SimulatedBrowser() = default;

std::string SimulatedBrowser::join_message(const std::string& room, const std::string& code) const {
  return json{
      {"type", "join"}, {"room", room}, {"code", code}, {"name", "bench " + std::to_string(index_)}}
      .dump();
}

std::string SimulatedBrowser::publish_message() const {
  std::string sdp;
  for (size_t at = 0; at < std::strlen(kOfferTemplate);) {
    std::string_view rest = std::string_view(kOfferTemplate).substr(at);
    std::string_view line = rest.substr(0, rest.find('\n') + 1);
    at += line.size();
    const bool video_ssrc =
        line.find("@V@") != std::string_view::npos || line.find("@R@") != std::string_view::npos;
    if (options_.announce_video_ssrc || !video_ssrc) sdp += line;
  }
  replace_all(sdp, "@UFRAG@", pcs_[0].ufrag);
  replace_all(sdp, "@PWD@", pcs_[0].pwd);
  replace_all(sdp, "@FP@", certificate_.fingerprint_sha256());
  replace_all(sdp, "@A@", std::to_string(ssrcs_[0]));
  replace_all(sdp, "@V@", std::to_string(ssrcs_[1]));
  replace_all(sdp, "@R@", std::to_string(ssrcs_[1] + 8));
  json tracks = json::array({{{"mid", "0"}, {"kind", "audio"}, {"source", "mic"}},
                             {{"mid", "1"}, {"kind", "video"}, {"source", "camera"}}});
  return json{{"type", "publish"}, {"sdp", sdp}, {"tracks", tracks}}.dump();
}

// The SFU's ICE credentials and DTLS fingerprint (BUNDLE: the first section's).
void SimulatedBrowser::learn_remote(Pc pc, const std::string& sdp_text) {
  sdp::SessionDescription d = parse_sdp(sdp_text);
  if (d.media.empty()) throw std::invalid_argument("no media section");
  const sdp::MediaDescription& m = d.media.front();
  PeerConnection& p = pcs_[index(pc)];
  const auto& fp = d.fingerprint_of(m);
  auto parsed = fp ? dtls::Fingerprint::parse(fp->value) : std::nullopt;
  if (!parsed) throw std::invalid_argument("no sha-256 fingerprint");
  if (p.remote_known) return;  // a renegotiation keeps the transport
  p.sfu_ufrag = d.ice_ufrag_of(m);
  p.sfu_pwd = d.ice_pwd_of(m);
  p.sfu_fingerprint = parsed;
  dtls::DtlsTransportOptions o;
  o.role = dtls::DtlsRole::kClient;  // the SFU answers a=setup:passive
  o.remote_fingerprint = parsed;
  p.dtls =
      std::make_unique<dtls::DtlsTransport>(context_, o, [this, pc](Bytes d) { send_(pc, d); });
  p.remote_known = true;
}

std::optional<std::string> SimulatedBrowser::on_signal(const std::string& text) {
  json m = json::parse(text);
  const std::string type = m.value("type", "");
  if (type == "error") throw std::runtime_error("browser " + std::to_string(index_) + ": " + text);
  if (type == "joined") return publish_message();
  if (type == "publish-answer") {
    learn_remote(Pc::kPublisher, m.at("sdp").get<std::string>());
  } else if (type == "offer") {
    return answer_message(m.at("sdp").get<std::string>(), m.at("tracks").size());
  }
  return std::nullopt;
}

// Like Chromium's answer: receive-only lines, our ICE and DTLS identity,
// a=setup:active.
std::string SimulatedBrowser::answer_message(const std::string& offer_sdp, size_t active_tracks) {
  learn_remote(Pc::kSubscriber, offer_sdp);
  sdp::SessionDescription d = parse_sdp(offer_sdp);
  const PeerConnection& p = pcs_[index(Pc::kSubscriber)];
  sdp::Fingerprint fp{"sha-256", certificate_.fingerprint_sha256()};
  d.ice_lite = false;
  d.ice_ufrag.clear();
  d.ice_pwd.clear();
  d.fingerprint.reset();
  d.setup.reset();
  for (auto& m : d.media) {
    m.ice_ufrag = p.ufrag;
    m.ice_pwd = p.pwd;
    m.fingerprint = fp;
    m.setup = sdp::Setup::kActive;
    m.candidates.clear();
    m.end_of_candidates = false;
    if (!m.rejected()) m.direction = sdp::Direction::kRecvOnly;
    m.ssrcs.clear();
    m.ssrc_groups.clear();
    m.msids.clear();
  }
  offered_tracks_ = active_tracks;
  return json{{"type", "answer"}, {"sdp", d.to_string()}}.dump();
}

void SimulatedBrowser::send_check(Pc pc, bool nominate) {
  PeerConnection& p = pcs_[index(pc)];
  std::array<std::byte, stun::kTransactionIdSize> tid{};
  store_be32(tid.data(), static_cast<uint32_t>(index_));
  tid[4] = std::byte(index(pc));
  tid[5] = std::byte(++p.transaction);
  std::array<std::byte, 256> buffer{};
  stun::MessageBuilder b(buffer, stun::Method::kBinding, stun::MessageClass::kRequest, tid);
  std::string username = p.sfu_ufrag + ":" + p.ufrag;
  stun::Username{as_bytes(username)}.add_to(b);
  stun::Priority{options_.ice_priority}.add_to(b);
  stun::IceControlling{0x1122334455667788ull + static_cast<uint64_t>(index_)}.add_to(b);
  if (nominate) stun::UseCandidate{}.add_to(b);
  b.add_message_integrity(mac_, as_bytes(p.sfu_pwd));
  b.add_fingerprint();
  if (!b.ok()) throw std::runtime_error("ICE check does not fit");
  send_(pc, b.bytes());
}

void SimulatedBrowser::connect(Pc pc) {
  PeerConnection& p = pcs_[index(pc)];
  if (!p.remote_known) throw std::logic_error("connect before the SDP exchange");
  send_check(pc, true);
  p.dtls->start();
}

void SimulatedBrowser::send_consent(Pc pc) {
  if (pcs_[index(pc)].remote_known) send_check(pc, false);
}

bool SimulatedBrowser::connected(Pc pc) const noexcept {
  const PeerConnection& p = pcs_[index(pc)];
  return p.out.has_value() && p.in.has_value();
}

void SimulatedBrowser::on_dtls(Pc pc, Bytes datagram) noexcept {
  PeerConnection& p = pcs_[index(pc)];
  if (!p.dtls) return;
  p.dtls->feed(datagram);
  if (p.dtls->state() != dtls::DtlsState::kConnected || p.out) return;
  const auto& keys = p.dtls->srtp_configs();
  if (!keys) return;
  try {
    p.out.emplace(srtp_, keys->outbound);
    p.in.emplace(srtp_, keys->inbound);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "browser %d: SRTP refused: %s\n", index_, e.what());
  }
}

void SimulatedBrowser::on_dtls_timer() {
  for (PeerConnection& p : pcs_) {
    if (!p.dtls) continue;
    if (auto wait = p.dtls->next_timeout(); wait && wait->count() == 0) p.dtls->on_timeout();
  }
}

void SimulatedBrowser::on_datagram(Pc pc, MutableBytes d, size_t verify_every) noexcept {
  PeerConnection& p = pcs_[index(pc)];
  switch (classify(d)) {
    case Kind::kStun:
      return;  // Binding success for our checks
    case Kind::kDtls:
      return on_dtls(pc, d);
    case Kind::kRtcp:
      if (p.in && p.in->unprotect_rtcp(d, d.size()).ok()) {
        received_.rtcp++;
      } else {
        received_.srtp_errors++;
      }
      return;
    case Kind::kRtp: {
      if (!p.in) break;
      size_t length = d.size();
      if (verify_every <= 1 || received_.rtp % verify_every == 0) {
        auto r = p.in->unprotect_rtp(d, d.size());
        if (!r.ok()) {
          received_.srtp_errors++;
          return;
        }
        length = r.length;
        if (options_.latency != nullptr) {
          if (size_t at = send_stamp_offset(Bytes(d.data(), length)); at != 0) {
            options_.latency->record(monotonic_ns() -
                                     static_cast<int64_t>(load_be64(d.data() + at)));
          }
        }
      } else {
        length -= srtp::rtp_overhead(p.in->profile());
      }
      received_.rtp++;
      received_.rtp_bytes += length;
      return;
    }
    case Kind::kOther:
      break;
  }
  received_.other++;
}

size_t SimulatedBrowser::make_rtp(Media media, MutableBytes buffer) noexcept {
  PeerConnection& p = pcs_[index(Pc::kPublisher)];
  size_t i = static_cast<size_t>(media);
  size_t length = media == Media::kAudio ? options_.audio_bytes : options_.video_bytes;
  if (!p.out || length < 28 + 4 || buffer.size() < length + 16) return 0;
  std::byte* b = buffer.data();
  bool frame_end = media == Media::kAudio || (sequence_[i] % 10) == 9;  // 10 packets a frame
  b[0] = std::byte{0x90};                                               // V=2, X=1
  b[1] = std::byte((frame_end ? 0x80 : 0) | (media == Media::kAudio ? 111 : 96));
  store_be16(b + 2, sequence_[i]++);
  store_be32(b + 4, timestamp_[i]);
  store_be32(b + 8, ssrcs_[i]);
  size_t header = 12 + write_extensions(b + 12, media, timestamp_[i] * 3, transport_seq_++,
                                        !options_.announce_video_ssrc);
  b[header] = std::byte{0x90};  // VP8 descriptor / Opus TOC: any payload will do
  for (size_t k = header + 1; k < length; ++k) b[k] = std::byte((k * 131 + sequence_[i]) & 0xFF);
  if (length >= header + 9) store_be64(b + header + 1, static_cast<uint64_t>(monotonic_ns()));
  if (frame_end) timestamp_[i] += media == Media::kAudio ? 960 : 3000;
  auto r = p.out->protect_rtp(buffer, length);
  if (!r.ok()) return 0;
  sent_[i]++;
  return r.length;
}

size_t SimulatedBrowser::make_nack(uint32_t media_ssrc, std::span<const uint16_t> lost,
                                   MutableBytes buffer) noexcept {
  PeerConnection& p = pcs_[index(Pc::kSubscriber)];
  if (!p.out || buffer.size() < 64) return 0;
  size_t n = rtp::build_nack(buffer.first(buffer.size() - 32), ssrcs_[0] + 1000, media_ssrc, lost);
  if (n == 0) return 0;
  auto r = p.out->protect_rtcp(buffer, n);
  return r.ok() ? r.length : 0;
}

std::optional<std::vector<std::byte>> SimulatedBrowser::unprotect_forwarded(Bytes datagram) {
  PeerConnection& p = pcs_[index(Pc::kSubscriber)];
  if (!p.in) return std::nullopt;
  std::vector<std::byte> copy(datagram.begin(), datagram.end());
  auto r = p.in->unprotect_rtp(copy, copy.size());
  if (!r.ok()) return std::nullopt;
  copy.resize(r.length);
  return copy;
}

}  // namespace turnd::sfu::bench

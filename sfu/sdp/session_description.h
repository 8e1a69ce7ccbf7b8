// The SDP model the SFU reads browser offers and answers into and writes its
// own answers and offers from (RFC 8866 syntax, the WebRTC subset of RFC 8829
// JSEP): sessions, media sections, and the attributes WebRTC uses, each in a
// typed field. Attributes the model has no field for are kept in order in
// `other`, so parse(to_string(x)) == x. Control plane: strings, vectors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sfu/sdp/candidate.h"

namespace turnd::sfu::sdp {

// a=sendrecv / sendonly / recvonly / inactive (RFC 8866 §6.7).
enum class Direction : uint8_t { kSendRecv, kSendOnly, kRecvOnly, kInactive };
std::string_view to_string(Direction d) noexcept;
std::optional<Direction> direction_from(std::string_view text) noexcept;
// The direction seen from the other side: sendonly <-> recvonly.
Direction reverse(Direction d) noexcept;
bool sends(Direction d) noexcept;
bool receives(Direction d) noexcept;
Direction make_direction(bool send, bool receive) noexcept;

// "UDP/TLS/RTP/SAVPF", "RTP/AVP"...: formats are payload types.
bool is_rtp_protocol(std::string_view protocol) noexcept;

// a=setup (RFC 4145 §4, RFC 8842 §5).
enum class Setup : uint8_t { kActpass, kActive, kPassive, kHoldconn };
std::string_view to_string(Setup s) noexcept;
std::optional<Setup> setup_from(std::string_view text) noexcept;

// An attribute without a typed field: a=name or a=name:value.
struct Attribute {
  std::string name;
  std::optional<std::string> value;
  bool operator==(const Attribute&) const = default;
};

struct Origin {  // o= (RFC 8866 §5.2)
  std::string username = "-";
  uint64_t session_id = 0;
  uint64_t session_version = 0;
  std::string address_type = "IP4";
  std::string address = "127.0.0.1";
  bool operator==(const Origin&) const = default;
};

struct Fingerprint {      // a=fingerprint (RFC 8122 §5)
  std::string algorithm;  // lower case, e.g. "sha-256"
  std::string value;      // "AB:CD:...", as written
  bool operator==(const Fingerprint&) const = default;
};

struct Group {  // a=group (RFC 5888), e.g. BUNDLE (RFC 8843)
  std::string semantics;
  std::vector<std::string> mids;
  bool operator==(const Group&) const = default;
};

struct RtcpFeedback {  // a=rtcp-fb (RFC 4585 §4.2): "nack", "nack pli", "ccm fir"...
  std::string type;
  std::string parameter;  // may be empty
  bool operator==(const RtcpFeedback&) const = default;
};

// One payload type of a media section: its a=rtpmap, a=fmtp and a=rtcp-fb.
struct Codec {
  uint8_t payload_type = 0;
  std::string name;  // encoding name as written ("opus", "VP8", "H264", "rtx")
  uint32_t clock_rate = 0;
  uint16_t channels = 0;  // 0 when the rtpmap has none
  std::string fmtp;       // the parameters of a=fmtp, as written
  std::vector<RtcpFeedback> feedback;

  // A parameter of the fmtp ("apt", "packetization-mode"...), if present.
  std::optional<std::string> parameter(std::string_view key) const;
  bool is(std::string_view encoding_name) const noexcept;  // case-insensitive
  bool operator==(const Codec&) const = default;
};

struct Extmap {  // a=extmap (RFC 8285 §7)
  uint16_t id = 0;
  std::optional<Direction> direction;
  std::string uri;
  std::string attributes;  // extension attributes after the URI, may be empty
  bool operator==(const Extmap&) const = default;
};

struct Msid {  // a=msid (RFC 8830 §2): stream id ("-" for none), track id
  std::string stream;
  std::string track;  // may be empty
  bool operator==(const Msid&) const = default;
};

struct SsrcDescription {  // the a=ssrc lines of one SSRC (RFC 5576 §4.1)
  uint32_t ssrc = 0;
  std::string cname;
  std::optional<Msid> msid;
  std::vector<Attribute> other;  // e.g. Plan B's "label", "mslabel"
  bool operator==(const SsrcDescription&) const = default;
};

struct SsrcGroup {  // a=ssrc-group (RFC 5576 §4.2), e.g. FID for RTX
  std::string semantics;
  std::vector<uint32_t> ssrcs;
  bool operator==(const SsrcGroup&) const = default;
};

// One m= section and its attributes.
struct MediaDescription {
  std::string media;     // "audio", "video", "application"
  uint16_t port = 9;     // 0 rejects (RFC 3264 §6) unless bundle_only
  std::string protocol;  // "UDP/TLS/RTP/SAVPF", "UDP/DTLS/SCTP"
  // As written on the m= line. For RTP sections the writer lists the
  // codecs' payload types instead: keep the two in step.
  std::vector<std::string> formats;
  std::string connection;  // c= value, e.g. "IN IP4 0.0.0.0"; may be empty
  std::string rtcp;        // a=rtcp value, may be empty

  std::string mid;
  Direction direction = Direction::kSendRecv;
  std::string ice_ufrag;
  std::string ice_pwd;
  std::vector<std::string> ice_options;
  std::optional<Fingerprint> fingerprint;
  std::optional<Setup> setup;
  bool rtcp_mux = false;
  bool rtcp_rsize = false;
  // a=bundle-only (RFC 8843 §6): port 0 without rejecting; the section uses
  // the BUNDLE group's transport (Firefox offers every section but the first
  // this way).
  bool bundle_only = false;
  std::vector<Codec> codecs;               // one per numeric format, in m= line order
  std::vector<RtcpFeedback> feedback_all;  // a=rtcp-fb:* lines
  std::vector<Extmap> extmaps;
  std::vector<Msid> msids;
  std::vector<SsrcGroup> ssrc_groups;
  std::vector<SsrcDescription> ssrcs;
  std::vector<Candidate> candidates;
  bool end_of_candidates = false;
  std::optional<uint16_t> sctp_port;
  std::optional<uint32_t> max_message_size;
  std::vector<Attribute> other;

  bool rejected() const noexcept { return port == 0 && !bundle_only; }
  const Codec* find_codec(uint8_t payload_type) const noexcept;
  // The ID mapped to `uri`, if any.
  std::optional<uint16_t> extmap_id(std::string_view uri) const noexcept;
  const SsrcDescription* find_ssrc(uint32_t ssrc) const noexcept;
  bool operator==(const MediaDescription&) const = default;
};

struct SessionDescription {
  Origin origin;
  std::string session_name = "-";
  std::string timing = "0 0";
  std::string connection;  // session-level c=, rare in WebRTC
  std::vector<Group> groups;
  bool ice_lite = false;
  std::string ice_ufrag;  // session-level ICE and DTLS attributes (Firefox
  std::string ice_pwd;    // puts some here); media-level ones win
  std::vector<std::string> ice_options;
  std::optional<Fingerprint> fingerprint;
  std::optional<Setup> setup;
  bool extmap_allow_mixed = false;
  std::string msid_semantic;  // value of a=msid-semantic, e.g. " WMS" as written
  std::vector<Attribute> other;
  std::vector<MediaDescription> media;

  const Group* bundle_group() const noexcept;  // the first BUNDLE group
  const MediaDescription* find_media(std::string_view mid) const noexcept;
  // The effective value for a media section: its own, else the session's.
  const std::string& ice_ufrag_of(const MediaDescription& m) const noexcept;
  const std::string& ice_pwd_of(const MediaDescription& m) const noexcept;
  const std::optional<Fingerprint>& fingerprint_of(const MediaDescription& m) const noexcept;
  const std::optional<Setup>& setup_of(const MediaDescription& m) const noexcept;

  // The SDP text, CRLF line endings (RFC 8866 §5).
  std::string to_string() const;
  bool operator==(const SessionDescription&) const = default;
};

}  // namespace turnd::sfu::sdp

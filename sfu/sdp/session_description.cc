#include "sfu/sdp/session_description.h"

#include <algorithm>

#include "sfu/sdp/text.h"

namespace turnd::sfu::sdp {

// --- enums ---------------------------------------------------------------------

std::string_view to_string(Direction d) noexcept {
  switch (d) {
    case Direction::kSendRecv:
      return "sendrecv";
    case Direction::kSendOnly:
      return "sendonly";
    case Direction::kRecvOnly:
      return "recvonly";
    case Direction::kInactive:
      return "inactive";
  }
  return "inactive";
}

std::optional<Direction> direction_from(std::string_view text) noexcept {
  for (Direction d :
       {Direction::kSendRecv, Direction::kSendOnly, Direction::kRecvOnly, Direction::kInactive}) {
    if (text == to_string(d)) return d;
  }
  return std::nullopt;
}

bool sends(Direction d) noexcept {
  return d == Direction::kSendRecv || d == Direction::kSendOnly;
}
bool receives(Direction d) noexcept {
  return d == Direction::kSendRecv || d == Direction::kRecvOnly;
}
Direction make_direction(bool send, bool receive) noexcept {
  if (send && receive) return Direction::kSendRecv;
  if (send) return Direction::kSendOnly;
  if (receive) return Direction::kRecvOnly;
  return Direction::kInactive;
}
Direction reverse(Direction d) noexcept {
  return make_direction(receives(d), sends(d));
}

std::string_view to_string(Setup s) noexcept {
  switch (s) {
    case Setup::kActpass:
      return "actpass";
    case Setup::kActive:
      return "active";
    case Setup::kPassive:
      return "passive";
    case Setup::kHoldconn:
      return "holdconn";
  }
  return "actpass";
}

std::optional<Setup> setup_from(std::string_view text) noexcept {
  for (Setup s : {Setup::kActpass, Setup::kActive, Setup::kPassive, Setup::kHoldconn}) {
    if (text == to_string(s)) return s;
  }
  return std::nullopt;
}

bool is_rtp_protocol(std::string_view protocol) noexcept {
  return protocol.find("RTP/") != std::string_view::npos;
}

// --- lookups -------------------------------------------------------------------

std::optional<std::string> Codec::parameter(std::string_view key) const {
  for (std::string_view item : text::split(fmtp, ';')) {
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const size_t eq = item.find('=');
    if (eq != std::string_view::npos && text::iequals(item.substr(0, eq), key)) {
      return std::string(item.substr(eq + 1));
    }
  }
  return std::nullopt;
}

bool Codec::is(std::string_view encoding_name) const noexcept {
  return text::iequals(name, encoding_name);
}

const Codec* MediaDescription::find_codec(uint8_t payload_type) const noexcept {
  for (const Codec& c : codecs) {
    if (c.payload_type == payload_type) return &c;
  }
  return nullptr;
}

std::optional<uint16_t> MediaDescription::extmap_id(std::string_view uri) const noexcept {
  for (const Extmap& e : extmaps) {
    if (e.uri == uri) return e.id;
  }
  return std::nullopt;
}

const SsrcDescription* MediaDescription::find_ssrc(uint32_t ssrc) const noexcept {
  for (const SsrcDescription& s : ssrcs) {
    if (s.ssrc == ssrc) return &s;
  }
  return nullptr;
}

const Group* SessionDescription::bundle_group() const noexcept {
  for (const Group& g : groups) {
    if (g.semantics == "BUNDLE") return &g;
  }
  return nullptr;
}

const MediaDescription* SessionDescription::find_media(std::string_view mid) const noexcept {
  for (const MediaDescription& m : media) {
    if (m.mid == mid) return &m;
  }
  return nullptr;
}

const std::string& SessionDescription::ice_ufrag_of(const MediaDescription& m) const noexcept {
  return m.ice_ufrag.empty() ? ice_ufrag : m.ice_ufrag;
}
const std::string& SessionDescription::ice_pwd_of(const MediaDescription& m) const noexcept {
  return m.ice_pwd.empty() ? ice_pwd : m.ice_pwd;
}
const std::optional<Fingerprint>& SessionDescription::fingerprint_of(
    const MediaDescription& m) const noexcept {
  return m.fingerprint ? m.fingerprint : fingerprint;
}
const std::optional<Setup>& SessionDescription::setup_of(const MediaDescription& m) const noexcept {
  return m.setup ? m.setup : setup;
}

// --- writing -------------------------------------------------------------------

namespace {

class Writer {
 public:
  void line(char type, std::string_view value) {
    out_ += type;
    out_ += '=';
    out_ += value;
    out_ += "\r\n";
  }
  void attribute(std::string_view name) { line('a', name); }
  void attribute(std::string_view name, std::string_view value) {
    std::string v(name);
    v += ':';
    v += value;
    line('a', v);
  }
  void other(const std::vector<Attribute>& attributes) {
    for (const Attribute& a : attributes) {
      if (a.value) {
        attribute(a.name, *a.value);
      } else {
        attribute(a.name);
      }
    }
  }
  void ice_and_dtls(const std::string& ufrag, const std::string& pwd,
                    const std::vector<std::string>& options,
                    const std::optional<Fingerprint>& fingerprint,
                    const std::optional<Setup>& setup) {
    if (!ufrag.empty()) attribute("ice-ufrag", ufrag);
    if (!pwd.empty()) attribute("ice-pwd", pwd);
    if (!options.empty()) attribute("ice-options", join(options));
    if (fingerprint) attribute("fingerprint", fingerprint->algorithm + ' ' + fingerprint->value);
    if (setup) attribute("setup", to_string(*setup));
  }
  static std::string join(const std::vector<std::string>& items) {
    std::string s;
    for (const std::string& item : items) {
      if (!s.empty()) s += ' ';
      s += item;
    }
    return s;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string msid_value(const Msid& msid) {
  return msid.track.empty() ? msid.stream : msid.stream + ' ' + msid.track;
}

void write_codecs(Writer& w, const MediaDescription& m) {
  for (const Codec& c : m.codecs) {
    const std::string pt = std::to_string(c.payload_type);
    if (!c.name.empty()) {
      std::string map = pt + ' ' + c.name + '/' + std::to_string(c.clock_rate);
      if (c.channels != 0) map += '/' + std::to_string(c.channels);
      w.attribute("rtpmap", map);
    }
    for (const RtcpFeedback& fb : c.feedback) {
      w.attribute("rtcp-fb", pt + ' ' + fb.type + (fb.parameter.empty() ? "" : ' ' + fb.parameter));
    }
    if (!c.fmtp.empty()) w.attribute("fmtp", pt + ' ' + c.fmtp);
  }
  for (const RtcpFeedback& fb : m.feedback_all) {
    w.attribute("rtcp-fb", "* " + fb.type + (fb.parameter.empty() ? "" : ' ' + fb.parameter));
  }
}

void write_ssrcs(Writer& w, const MediaDescription& m) {
  for (const SsrcGroup& g : m.ssrc_groups) {
    std::string v = g.semantics;
    for (uint32_t ssrc : g.ssrcs) v += ' ' + std::to_string(ssrc);
    w.attribute("ssrc-group", v);
  }
  for (const SsrcDescription& s : m.ssrcs) {
    const std::string ssrc = std::to_string(s.ssrc);
    if (!s.cname.empty()) w.attribute("ssrc", ssrc + " cname:" + s.cname);
    if (s.msid) w.attribute("ssrc", ssrc + " msid:" + msid_value(*s.msid));
    for (const Attribute& a : s.other) {
      w.attribute("ssrc", ssrc + ' ' + a.name + (a.value ? ':' + *a.value : ""));
    }
  }
}

void write_media(Writer& w, const MediaDescription& m) {
  std::string mline = m.media + ' ' + std::to_string(m.port) + ' ' + m.protocol;
  if (is_rtp_protocol(m.protocol)) {
    for (const Codec& c : m.codecs) mline += ' ' + std::to_string(c.payload_type);
  } else {
    for (const std::string& f : m.formats) mline += ' ' + f;
  }
  w.line('m', mline);
  if (!m.connection.empty()) w.line('c', m.connection);
  if (m.bundle_only) w.attribute("bundle-only");
  if (!m.rtcp.empty()) w.attribute("rtcp", m.rtcp);
  for (const Candidate& c : m.candidates) w.attribute("candidate", c.to_string());
  if (m.end_of_candidates) w.attribute("end-of-candidates");
  w.ice_and_dtls(m.ice_ufrag, m.ice_pwd, m.ice_options, m.fingerprint, m.setup);
  if (!m.mid.empty()) w.attribute("mid", m.mid);
  for (const Extmap& e : m.extmaps) {
    std::string v = std::to_string(e.id);
    if (e.direction) v += '/' + std::string(to_string(*e.direction));
    v += ' ' + e.uri;
    if (!e.attributes.empty()) v += ' ' + e.attributes;
    w.attribute("extmap", v);
  }
  if (m.media != "application" || m.direction != Direction::kSendRecv) {
    w.attribute(to_string(m.direction));
  }
  for (const Msid& msid : m.msids) w.attribute("msid", msid_value(msid));
  if (m.rtcp_mux) w.attribute("rtcp-mux");
  if (m.rtcp_rsize) w.attribute("rtcp-rsize");
  write_codecs(w, m);
  write_ssrcs(w, m);
  if (m.sctp_port) w.attribute("sctp-port", std::to_string(*m.sctp_port));
  if (m.max_message_size) w.attribute("max-message-size", std::to_string(*m.max_message_size));
  w.other(m.other);
}

}  // namespace

std::string SessionDescription::to_string() const {
  Writer w;
  w.line('v', "0");
  w.line('o', origin.username + ' ' + std::to_string(origin.session_id) + ' ' +
                  std::to_string(origin.session_version) + " IN " + origin.address_type + ' ' +
                  origin.address);
  w.line('s', session_name);
  if (!connection.empty()) w.line('c', connection);
  w.line('t', timing);
  if (ice_lite) w.attribute("ice-lite");
  for (const Group& g : groups) {
    std::string v = g.semantics;
    for (const std::string& mid : g.mids) v += ' ' + mid;
    w.attribute("group", v);
  }
  w.ice_and_dtls(ice_ufrag, ice_pwd, ice_options, fingerprint, setup);
  if (extmap_allow_mixed) w.attribute("extmap-allow-mixed");
  if (!msid_semantic.empty()) w.attribute("msid-semantic", msid_semantic);
  w.other(other);
  for (const MediaDescription& m : media) write_media(w, m);
  return w.take();
}

}  // namespace turnd::sfu::sdp

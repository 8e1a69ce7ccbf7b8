#include "sfu/sdp/parser.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "sfu/sdp/text.h"

namespace turnd::sfu::sdp {

std::string SdpError::message() const {
  return line == 0 ? reason : "line " + std::to_string(line) + ": " + reason;
}

namespace {

struct StaticPayload {
  uint8_t type;
  const char* name;
  uint32_t clock_rate;
};
// RFC 3551 §6: the static payload types a browser may list without rtpmap.
constexpr std::array<StaticPayload, 8> kStaticPayloads{{{0, "PCMU", 8000},
                                                        {3, "GSM", 8000},
                                                        {4, "G723", 8000},
                                                        {8, "PCMA", 8000},
                                                        {9, "G722", 8000},
                                                        {13, "CN", 8000},
                                                        {18, "G729", 8000},
                                                        {34, "H263", 90000}}};

// Attributes that only make sense inside a media section.
constexpr std::array<std::string_view, 12> kMediaOnly{
    "mid",  "rtpmap", "fmtp",      "rtcp-fb",   "ssrc",   "ssrc-group",
    "msid", "rtcp",   "candidate", "sctp-port", "extmap", "max-message-size"};

struct Failure {
  std::string reason;
};

bool is_hex_pair(std::string_view s) noexcept {
  return s.size() == 2 && std::isxdigit(static_cast<unsigned char>(s[0])) != 0 &&
         std::isxdigit(static_cast<unsigned char>(s[1])) != 0;
}

std::optional<Msid> parse_msid(std::string_view value) {
  const auto t = text::split(value);
  if (t.empty() || t.size() > 2) return std::nullopt;
  return Msid{std::string(t[0]), t.size() == 2 ? std::string(t[1]) : std::string()};
}

std::optional<RtcpFeedback> parse_feedback(const std::vector<std::string_view>& t) {
  if (t.size() < 2) return std::nullopt;
  RtcpFeedback fb{std::string(t[1]), {}};
  for (size_t i = 2; i < t.size(); ++i) {
    if (!fb.parameter.empty()) fb.parameter += ' ';
    fb.parameter += t[i];
  }
  return fb;
}

class Parser {
 public:
  std::variant<SessionDescription, SdpError> run(std::string_view text);

 private:
  void line(char type, std::string_view value);
  void origin(std::string_view value);
  void media_line(std::string_view value);
  void attribute(std::string_view name, std::optional<std::string_view> value);
  bool shared_attribute(std::string_view name, std::optional<std::string_view> value);
  bool session_attribute(std::string_view name, std::optional<std::string_view> value);
  void media_attribute(std::string_view name, std::optional<std::string_view> value);
  bool codec_attribute(std::string_view name, std::string_view value);
  void extmap(std::string_view value);
  bool ssrc_attribute(std::string_view name, std::string_view value);
  void finish();

  Codec& codec(std::string_view pt_text, std::string_view what);
  MediaDescription& media() { return d_.media.back(); }
  bool in_media() const { return !d_.media.empty(); }
  static std::string_view need(std::optional<std::string_view> value, std::string_view name);
  template <typename T>
  static T number_or_fail(std::string_view text, std::string_view what);
  static void set_once(std::string& field, std::string_view value, std::string_view name);

  SessionDescription d_;
  bool seen_version_ = false, seen_origin_ = false, seen_name_ = false, seen_timing_ = false;
  size_t group_line_ = 0;
  size_t line_ = 0;
};

[[noreturn]] void fail(std::string reason) {
  throw Failure{std::move(reason)};
}

std::string_view Parser::need(std::optional<std::string_view> value, std::string_view name) {
  if (!value || value->empty()) fail("a=" + std::string(name) + " needs a value");
  return *value;
}

template <typename T>
T Parser::number_or_fail(std::string_view text, std::string_view what) {
  auto n = text::number<T>(text);
  if (!n) fail("bad " + std::string(what) + " \"" + std::string(text) + "\"");
  return *n;
}

void Parser::set_once(std::string& field, std::string_view value, std::string_view name) {
  if (!field.empty()) fail("duplicate a=" + std::string(name));
  field = std::string(value);
}

std::variant<SessionDescription, SdpError> Parser::run(std::string_view text) {
  size_t start = 0;
  try {
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view l = text.substr(start, end - start);
      start = end + 1;
      ++line_;
      if (line_ > kMaxSdpLines) fail("more than " + std::to_string(kMaxSdpLines) + " lines");
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      if (l.empty() && text.find_first_not_of("\r\n", start) == std::string_view::npos) {
        --line_;  // blank lines at the very end are harmless
        break;
      }
      if (l.size() < 2 || l[1] != '=' || std::islower(static_cast<unsigned char>(l[0])) == 0) {
        fail(l.empty() ? "empty line" : "not a <type>=<value> line");
      }
      this->line(l[0], l.substr(2));
    }
    ++line_;  // problems found at the end point past the last line
    finish();
  } catch (const Failure& f) {
    return SdpError{line_, f.reason};
  }
  return std::move(d_);
}

void Parser::line(char type, std::string_view value) {
  if (!seen_version_) {
    if (type != 'v' || value != "0") fail("the first line must be v=0");
    seen_version_ = true;
    return;
  }
  switch (type) {
    case 'v':
      fail("duplicate v= line");
    case 'o':
      origin(value);
      return;
    case 's':
      if (seen_name_) fail("duplicate s= line");
      seen_name_ = true;
      d_.session_name = std::string(value);
      return;
    case 't':
      if (in_media()) fail("t= inside a media section");
      seen_timing_ = true;
      d_.timing = std::string(value);
      return;
    case 'c':
      if (text::split(value).size() != 3) fail("c= needs: nettype addrtype address");
      (in_media() ? media().connection : d_.connection) = std::string(value);
      return;
    case 'm':
      media_line(value);
      return;
    case 'a': {
      auto [name, attribute_value] = text::split_attribute(value);
      if (name.empty()) fail("a= without a name");
      attribute(name, attribute_value);
      return;
    }
    case 'i':
    case 'u':
    case 'e':
    case 'p':
    case 'b':
    case 'r':
    case 'z':
    case 'k':
      return;  // informational, bandwidth, repeat times, zones, keys: not used
    default:
      fail(std::string("unknown line type ") + type + "=");
  }
}

void Parser::origin(std::string_view value) {
  if (seen_origin_) fail("duplicate o= line");
  seen_origin_ = true;
  const auto t = text::split(value);
  if (t.size() != 6 || t[3] != "IN") {
    fail("o= needs: username sess-id sess-version IN addrtype address");
  }
  d_.origin.username = std::string(t[0]);
  d_.origin.session_id = number_or_fail<uint64_t>(t[1], "o= session id");
  d_.origin.session_version = number_or_fail<uint64_t>(t[2], "o= session version");
  d_.origin.address_type = std::string(t[4]);
  d_.origin.address = std::string(t[5]);
}

void Parser::media_line(std::string_view value) {
  if (!seen_origin_ || !seen_name_ || !seen_timing_) fail("m= before the o=, s= and t= lines");
  const auto t = text::split(value);
  if (t.size() < 4) fail("m= needs: media port proto format...");
  MediaDescription m;
  m.media = std::string(t[0]);
  if (t[1].find('/') != std::string_view::npos) fail("m= port counts are not supported");
  m.port = number_or_fail<uint16_t>(t[1], "m= port");
  m.protocol = std::string(t[2]);
  const bool rtp = is_rtp_protocol(m.protocol);
  for (size_t i = 3; i < t.size(); ++i) {
    if (!rtp) {
      m.formats.emplace_back(t[i]);
      continue;
    }
    const auto pt = number_or_fail<uint8_t>(t[i], "m= payload type");
    m.formats.push_back(std::to_string(pt));  // as the writer will write it
    if (pt > 127) fail("m= payload type above 127");
    if (m.find_codec(pt) != nullptr) fail("m= lists payload type " + std::string(t[i]) + " twice");
    Codec c;
    c.payload_type = pt;
    for (const StaticPayload& s : kStaticPayloads) {
      if (s.type == pt) {
        c.name = s.name;
        c.clock_rate = s.clock_rate;
      }
    }
    m.codecs.push_back(std::move(c));
  }
  d_.media.push_back(std::move(m));
}

void Parser::attribute(std::string_view name, std::optional<std::string_view> value) {
  if (shared_attribute(name, value)) return;
  if (in_media()) {
    media_attribute(name, value);
    return;
  }
  if (session_attribute(name, value)) return;
  if (std::find(kMediaOnly.begin(), kMediaOnly.end(), name) != kMediaOnly.end()) {
    fail("a=" + std::string(name) + " outside a media section");
  }
  d_.other.push_back(
      {std::string(name), value ? std::optional<std::string>(*value) : std::nullopt});
}

// ICE and DTLS attributes allowed at both levels (RFC 8839 §5, RFC 8842 §5).
bool Parser::shared_attribute(std::string_view name, std::optional<std::string_view> value) {
  const bool m = in_media();
  if (name == "ice-ufrag") {
    set_once(m ? media().ice_ufrag : d_.ice_ufrag, need(value, name), name);
  } else if (name == "ice-pwd") {
    set_once(m ? media().ice_pwd : d_.ice_pwd, need(value, name), name);
  } else if (name == "ice-options") {
    for (auto option : text::split(need(value, name))) {
      (m ? media().ice_options : d_.ice_options).emplace_back(option);
    }
  } else if (name == "fingerprint") {
    const auto t = text::split(need(value, name));
    const auto pairs = t.size() == 2 ? text::split(t[1], ':') : decltype(t){};
    if (pairs.empty() || !std::all_of(pairs.begin(), pairs.end(), is_hex_pair) ||
        t[1].front() == ':' || t[1].back() == ':' || t[1].find("::") != std::string_view::npos) {
      fail("a=fingerprint needs: hash-function XX:XX:...");
    }
    auto& field = m ? media().fingerprint : d_.fingerprint;
    if (field) fail("duplicate a=fingerprint");
    field = Fingerprint{text::lower(t[0]), std::string(t[1])};
  } else if (name == "setup") {
    auto setup = setup_from(need(value, name));
    if (!setup) fail("a=setup must be actpass, active, passive or holdconn");
    auto& field = m ? media().setup : d_.setup;
    if (field) fail("duplicate a=setup");
    field = setup;
  } else {
    return false;
  }
  return true;
}

bool Parser::session_attribute(std::string_view name, std::optional<std::string_view> value) {
  if (name == "group") {
    const auto t = text::split(need(value, name));
    if (t.empty()) fail("a=group needs: semantics [mid...]");
    Group g{std::string(t[0]), {}};
    for (size_t i = 1; i < t.size(); ++i) g.mids.emplace_back(t[i]);
    if (g.semantics == "BUNDLE" && group_line_ == 0) group_line_ = line_;
    d_.groups.push_back(std::move(g));
  } else if (name == "ice-lite") {
    d_.ice_lite = true;
  } else if (name == "extmap-allow-mixed") {
    d_.extmap_allow_mixed = true;
  } else if (name == "msid-semantic") {
    d_.msid_semantic = std::string(need(value, name));
  } else {
    return false;
  }
  return true;
}

void Parser::media_attribute(std::string_view name, std::optional<std::string_view> value) {
  MediaDescription& m = media();
  if (auto direction = direction_from(name); direction && !value) {
    m.direction = *direction;
  } else if (name == "mid") {
    set_once(m.mid, need(value, name), name);
    if (std::count_if(d_.media.begin(), d_.media.end(),
                      [&](const MediaDescription& o) { return o.mid == m.mid; }) > 1) {
      fail("duplicate mid \"" + m.mid + "\"");
    }
  } else if (name == "rtcp-mux" && !value) {
    m.rtcp_mux = true;
  } else if (name == "rtcp-rsize" && !value) {
    m.rtcp_rsize = true;
  } else if (name == "bundle-only" && !value) {
    m.bundle_only = true;
  } else if (name == "rtcp") {
    m.rtcp = std::string(need(value, name));
  } else if (name == "end-of-candidates") {
    m.end_of_candidates = true;
  } else if (name == "candidate") {
    std::string error;
    auto candidate = parse_candidate(need(value, name), error);
    if (!candidate) fail(error);
    m.candidates.push_back(std::move(*candidate));
  } else if (name == "msid") {
    auto msid = parse_msid(need(value, name));
    if (!msid) fail("a=msid needs: stream-id [track-id]");
    m.msids.push_back(std::move(*msid));
  } else if (name == "sctp-port") {
    m.sctp_port = number_or_fail<uint16_t>(need(value, name), "a=sctp-port");
  } else if (name == "max-message-size") {
    m.max_message_size = number_or_fail<uint32_t>(need(value, name), "a=max-message-size");
  } else if (!codec_attribute(name, value.value_or("")) &&
             !ssrc_attribute(name, value.value_or(""))) {
    m.other.push_back(
        {std::string(name), value ? std::optional<std::string>(*value) : std::nullopt});
  }
}

Codec& Parser::codec(std::string_view pt_text, std::string_view what) {
  const auto pt = number_or_fail<uint8_t>(pt_text, std::string(what) + " payload type");
  for (Codec& c : media().codecs) {
    if (c.payload_type == pt) return c;
  }
  fail(std::string(what) + " for payload type " + std::string(pt_text) + ", not on the m= line");
}

// a=rtpmap, a=fmtp, a=rtcp-fb, and a=extmap.
bool Parser::codec_attribute(std::string_view name, std::string_view value) {
  if (name == "rtpmap") {
    const auto t = text::split(value);
    const auto parts = t.size() == 2 ? text::split(t[1], '/') : decltype(t){};
    if (parts.size() < 2 || parts.size() > 3) fail("a=rtpmap needs: pt name/rate[/channels]");
    Codec& c = codec(t[0], "a=rtpmap");
    c.name = std::string(parts[0]);
    c.clock_rate = number_or_fail<uint32_t>(parts[1], "a=rtpmap clock rate");
    c.channels = parts.size() == 3 ? number_or_fail<uint16_t>(parts[2], "a=rtpmap channels") : 0;
  } else if (name == "fmtp") {
    const size_t space = value.find(' ');
    if (space == std::string_view::npos || space + 1 == value.size()) {
      fail("a=fmtp needs: pt parameters");
    }
    Codec& c = codec(value.substr(0, space), "a=fmtp");
    if (!c.fmtp.empty()) fail("duplicate a=fmtp");
    c.fmtp = std::string(value.substr(space + 1));
  } else if (name == "rtcp-fb") {
    const auto t = text::split(value);
    auto fb = parse_feedback(t);
    if (!fb) fail("a=rtcp-fb needs: pt type [parameter]");
    auto& list = t[0] == "*" ? media().feedback_all : codec(t[0], "a=rtcp-fb").feedback;
    list.push_back(std::move(*fb));
  } else if (name == "extmap") {
    extmap(value);
  } else {
    return false;
  }
  return true;
}

// a=extmap (RFC 8285 §7): id[/direction] uri [attributes].
void Parser::extmap(std::string_view value) {
  const auto t = text::split(value);
  if (t.size() < 2) fail("a=extmap needs: id[/direction] uri");
  Extmap e;
  const auto id_dir = text::split(t[0], '/');
  if (id_dir.empty() || id_dir.size() > 2) fail("bad a=extmap id");
  e.id = number_or_fail<uint16_t>(id_dir[0], "a=extmap id");
  if (e.id < 1 || e.id > 255) fail("a=extmap id outside 1..255");
  if (id_dir.size() == 2) {
    e.direction = direction_from(id_dir[1]);
    if (!e.direction) fail("bad a=extmap direction");
  }
  e.uri = std::string(t[1]);
  const auto uri_end = static_cast<size_t>(t[1].data() - value.data()) + t[1].size();
  if (uri_end < value.size()) e.attributes = std::string(value.substr(uri_end + 1));
  for (const Extmap& other : media().extmaps) {
    if (other.id == e.id) fail("a=extmap id " + std::to_string(e.id) + " used twice");
  }
  media().extmaps.push_back(std::move(e));
}

// a=ssrc and a=ssrc-group (RFC 5576).
bool Parser::ssrc_attribute(std::string_view name, std::string_view value) {
  MediaDescription& m = media();
  if (name == "ssrc") {
    const size_t space = value.find(' ');
    if (space == std::string_view::npos) fail("a=ssrc needs: ssrc attribute[:value]");
    const auto ssrc = number_or_fail<uint32_t>(value.substr(0, space), "a=ssrc SSRC");
    auto [attr, attr_value] = text::split_attribute(value.substr(space + 1));
    auto it = std::find_if(m.ssrcs.begin(), m.ssrcs.end(),
                           [&](const SsrcDescription& s) { return s.ssrc == ssrc; });
    SsrcDescription& s = it != m.ssrcs.end() ? *it : m.ssrcs.emplace_back(SsrcDescription{ssrc});
    if (attr == "cname") {
      if (!attr_value || attr_value->empty()) fail("a=ssrc cname without a value");
      s.cname = std::string(*attr_value);
    } else if (attr == "msid") {
      auto msid = attr_value ? parse_msid(*attr_value) : std::nullopt;
      if (!msid) fail("a=ssrc msid needs: stream-id [track-id]");
      s.msid = std::move(msid);
    } else {
      if (attr.empty()) fail("a=ssrc without an attribute");
      s.other.push_back(
          {std::string(attr), attr_value ? std::optional<std::string>(*attr_value) : std::nullopt});
    }
  } else if (name == "ssrc-group") {
    const auto t = text::split(value);
    if (t.size() < 2) fail("a=ssrc-group needs: semantics ssrc...");
    SsrcGroup g{std::string(t[0]), {}};
    for (size_t i = 1; i < t.size(); ++i) {
      g.ssrcs.push_back(number_or_fail<uint32_t>(t[i], "a=ssrc-group SSRC"));
    }
    m.ssrc_groups.push_back(std::move(g));
  } else {
    return false;
  }
  return true;
}

void Parser::finish() {
  if (!seen_version_) fail("empty description");
  if (!seen_origin_) fail("missing o= line");
  if (!seen_name_) fail("missing s= line");
  if (!seen_timing_) fail("missing t= line");
  if (const Group* bundle = d_.bundle_group()) {
    for (const std::string& mid : bundle->mids) {
      if (d_.find_media(mid) == nullptr) {
        line_ = group_line_;
        fail("a=group:BUNDLE names mid \"" + mid + "\", which no m= section has");
      }
    }
  }
}

}  // namespace

std::variant<SessionDescription, SdpError> parse(std::string_view text) {
  return Parser().run(text);
}

}  // namespace turnd::sfu::sdp

#include "sfu/sdp/transport.h"

namespace turnd::sfu::sdp {

std::variant<RemoteTransport, SdpError> remote_transport(const SessionDescription& d) {
  const MediaDescription* m = nullptr;
  if (const Group* bundle = d.bundle_group(); bundle != nullptr && !bundle->mids.empty()) {
    m = d.find_media(bundle->mids.front());
  } else {
    for (const MediaDescription& candidate : d.media) {
      if (!candidate.rejected()) {
        m = &candidate;
        break;
      }
    }
  }
  if (m == nullptr) return SdpError{0, "no m= section carries a transport"};
  RemoteTransport t;
  t.mid = m->mid;
  t.ice_ufrag = d.ice_ufrag_of(*m);
  t.ice_pwd = d.ice_pwd_of(*m);
  if (t.ice_ufrag.empty() || t.ice_pwd.empty()) {
    return SdpError{0, "m= section \"" + m->mid + "\" has no a=ice-ufrag / a=ice-pwd"};
  }
  const auto& fingerprint = d.fingerprint_of(*m);
  if (!fingerprint) return SdpError{0, "m= section \"" + m->mid + "\" has no a=fingerprint"};
  t.fingerprint = *fingerprint;
  const auto& setup = d.setup_of(*m);
  if (!setup) return SdpError{0, "m= section \"" + m->mid + "\" has no a=setup"};
  t.setup = *setup;
  t.candidates = m->candidates;
  return t;
}

void set_local_session(SessionDescription& d, const LocalTransport& t) {
  d.origin = Origin{"-", t.session_id, t.session_version, "IP4", "127.0.0.1"};
  d.session_name = "-";
  d.timing = "0 0";
  d.ice_lite = true;  // RFC 8445 §2.5: the SFU only answers checks
}

void set_local_transport(MediaDescription& m, const LocalTransport& t, Setup setup) {
  m.connection = "IN IP4 0.0.0.0";
  m.ice_ufrag = t.ice_ufrag;
  m.ice_pwd = t.ice_pwd;
  m.fingerprint = Fingerprint{"sha-256", t.fingerprint_sha256};
  m.setup = setup;
  m.rtcp_mux = true;
  m.candidates = t.candidates;
  m.end_of_candidates = true;  // ICE-lite: all candidates are known up front
}

MediaDescription rejected_section(const MediaDescription& m) {
  MediaDescription r;
  r.media = m.media;
  r.port = 0;
  r.protocol = m.protocol;
  r.connection = "IN IP4 0.0.0.0";
  r.mid = m.mid;
  r.direction = Direction::kInactive;
  if (!m.codecs.empty()) {
    const Codec& first = m.codecs.front();
    r.codecs.push_back(
        Codec{first.payload_type, first.name, first.clock_rate, first.channels, {}, {}});
    r.formats.push_back(std::to_string(first.payload_type));
  } else if (!m.formats.empty()) {
    r.formats.push_back(m.formats.front());
  }
  return r;
}

}  // namespace turnd::sfu::sdp

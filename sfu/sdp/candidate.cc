#include "sfu/sdp/candidate.h"

#include <algorithm>
#include <cctype>

#include "sfu/sdp/text.h"

namespace turnd::sfu::sdp {

namespace {

// ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.1)
bool valid_foundation(std::string_view s) noexcept {
  return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/';
  });
}

}  // namespace

std::optional<Candidate> parse_candidate(std::string_view text, std::string& error) {
  if (text.starts_with("candidate:")) text.remove_prefix(10);
  const std::vector<std::string_view> t = text::split(text);
  if (t.size() < 8 || t[6] != "typ") {
    error = "candidate needs: foundation component transport priority address port typ type";
    return std::nullopt;
  }
  Candidate c;
  if (!valid_foundation(t[0])) {
    error = "bad candidate foundation";
    return std::nullopt;
  }
  c.foundation = std::string(t[0]);
  auto component = text::number<uint16_t>(t[1]);
  auto priority = text::number<uint32_t>(t[3]);
  auto port = text::number<uint16_t>(t[5]);
  if (!component || *component < 1 || *component > 256) {
    error = "bad candidate component";
    return std::nullopt;
  }
  if (!priority) {
    error = "bad candidate priority";
    return std::nullopt;
  }
  if (!port) {
    error = "bad candidate port";
    return std::nullopt;
  }
  c.component = *component;
  c.transport = text::lower(t[2]);
  c.priority = *priority;
  c.address = std::string(t[4]);
  c.port = *port;
  c.type = std::string(t[7]);
  for (size_t i = 8; i < t.size(); i += 2) {
    if (i + 1 >= t.size()) {
      error = "candidate extension \"" + std::string(t[i]) + "\" without a value";
      return std::nullopt;
    }
    if (t[i] == "raddr") {
      c.related_address = std::string(t[i + 1]);
    } else if (t[i] == "rport") {
      auto rport = text::number<uint16_t>(t[i + 1]);
      if (!rport) {
        error = "bad candidate rport";
        return std::nullopt;
      }
      c.related_port = *rport;
    } else if (t[i] == "tcptype") {
      c.tcptype = std::string(t[i + 1]);
    } else {
      c.extensions.emplace_back(std::string(t[i]), std::string(t[i + 1]));
    }
  }
  return c;
}

std::string Candidate::to_string() const {
  std::string s = foundation;
  s += ' ';
  s += std::to_string(component);
  s += ' ';
  s += transport;
  s += ' ';
  s += std::to_string(priority);
  s += ' ';
  s += address;
  s += ' ';
  s += std::to_string(port);
  s += " typ ";
  s += type;
  auto add = [&s](std::string_view name, std::string_view value) {
    s += ' ';
    s += name;
    s += ' ';
    s += value;
  };
  if (!related_address.empty()) add("raddr", related_address);
  if (related_port) add("rport", std::to_string(*related_port));
  if (!tcptype.empty()) add("tcptype", tcptype);
  for (const auto& [name, value] : extensions) add(name, value);
  return s;
}

Candidate host_udp_candidate(std::string foundation, std::string address, uint16_t port) {
  Candidate c;
  c.foundation = std::move(foundation);
  c.transport = "udp";
  c.priority = candidate_priority(126, 65535, 1);
  c.address = std::move(address);
  c.port = port;
  c.type = "host";
  return c;
}

Candidate host_tcp_passive_candidate(std::string foundation, std::string address, uint16_t port) {
  Candidate c;
  c.foundation = std::move(foundation);
  c.transport = "tcp";
  // Type preference below UDP's; RFC 6544 §4.2's local preference for a
  // passive host candidate: direction-pref 4 << 13, other-pref 8191.
  c.priority = candidate_priority(90, (4u << 13) + 8191, 1);
  c.address = std::move(address);
  c.port = port;
  c.type = "host";
  c.tcptype = "passive";
  return c;
}

}  // namespace turnd::sfu::sdp

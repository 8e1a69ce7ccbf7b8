#include "sfu/sdp/simulcast.h"

#include <algorithm>
#include <cctype>

#include "sfu/sdp/text.h"

namespace turnd::sfu::sdp {
namespace {

// Browsers offer up to 3 (Chromium allows 4); more is only work for the
// lookups below, which are quadratic.
constexpr size_t kMaxRids = 16;

// "h send pt=96;max-width=640" -> {"h", "send"}; rid-id is 1*(alpha/digit/"-"/"_").
bool rid_line(const Attribute& a, std::string_view& id, std::string_view& direction) {
  if (a.name != "rid" || !a.value) return false;
  const std::vector<std::string_view> t = text::split(*a.value);
  if (t.size() < 2 || t[0].empty() || t[0].size() > 32) return false;
  const bool valid = std::all_of(t[0].begin(), t[0].end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (!valid) return false;
  id = t[0];
  direction = t[1];
  return true;
}

std::vector<std::string> declared_send_rids(const MediaDescription& m) {
  std::vector<std::string> out;
  for (const Attribute& a : m.other) {
    std::string_view id, direction;
    if (rid_line(a, id, direction) && direction == "send" &&
        std::find(out.begin(), out.end(), id) == out.end()) {
      out.emplace_back(id);
      if (out.size() == kMaxRids) break;
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> send_rids(const MediaDescription& m) {
  const std::vector<std::string> declared = declared_send_rids(m);
  if (declared.empty()) return {};
  for (const Attribute& a : m.other) {
    if (a.name != "simulcast" || !a.value) continue;
    const std::vector<std::string_view> t = text::split(*a.value);
    for (size_t i = 0; i + 1 < t.size(); i += 2) {
      if (t[i] != "send") continue;
      std::vector<std::string> out;
      for (std::string_view stream : text::split(t[i + 1], ';')) {
        std::string_view first = stream.substr(0, stream.find(','));
        if (first.starts_with('~')) continue;  // paused
        if (std::find(declared.begin(), declared.end(), first) != declared.end() &&
            std::find(out.begin(), out.end(), first) == out.end()) {
          out.emplace_back(first);
          if (out.size() == kMaxRids) break;
        }
      }
      return out;
    }
  }
  return declared;
}

std::string chosen_rid(const MediaDescription& m) {
  const std::vector<std::string> rids = send_rids(m);
  return rids.empty() ? std::string() : rids.back();
}

void answer_rid(MediaDescription& answer, const std::string& rid) {
  if (rid.empty()) return;
  answer.other.push_back({"rid", rid + " recv"});
  answer.other.push_back({"simulcast", "recv " + rid});
}

}  // namespace turnd::sfu::sdp

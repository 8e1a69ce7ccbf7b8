#include "sfu/sdp/text.h"

#include <algorithm>
#include <cctype>

namespace turnd::sfu::sdp::text {

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(separator, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::pair<std::string_view, std::optional<std::string_view>> split_attribute(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos) return {s, std::nullopt};
  return {s.substr(0, colon), s.substr(colon + 1)};
}

}  // namespace turnd::sfu::sdp::text

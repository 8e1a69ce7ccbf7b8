#include "turnd/config/suggest.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "turnd/config/coturn_keys.h"
#include "turnd/config/keys.h"

namespace turnd::config {
namespace {

size_t length_gap(std::string_view a, std::string_view b) {
  return a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
}

struct Best {
  std::optional<std::string_view> name;
  size_t distance = kMaxSuggestionDistance + 1;

  void consider(std::string_view unknown, std::string_view candidate) {
    if (length_gap(unknown, candidate) >= distance) return;  // cannot beat the best
    size_t d = edit_distance(unknown, candidate);
    if (d < distance) {
      name = candidate;
      distance = d;
    }
  }
};

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string_view> closest_key(std::string_view unknown) {
  Best best;
  for (const auto& key : turnd_keys()) best.consider(unknown, key.name);
  for (const auto& key : coturn_keys()) best.consider(unknown, key.name);
  return best.name;
}

}  // namespace turnd::config

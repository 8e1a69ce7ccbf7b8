// "did you mean" for unknown keys: the known key (turnd's or coturn's) closest
// to a misspelt one, when at most two single-character edits away.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace turnd::config {

constexpr size_t kMaxSuggestionDistance = 2;

// Levenshtein distance (insert, delete, substitute one character).
size_t edit_distance(std::string_view a, std::string_view b);
std::optional<std::string_view> closest_key(std::string_view unknown);

}  // namespace turnd::config

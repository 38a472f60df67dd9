#pragma once

/// "Did you mean ...?": the closest known name to a misspelled one, for
/// settings, console commands and metric names alike.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace amoc {

/// The Levenshtein distance: insertions, deletions and substitutions from `a` to `b`.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `typed` when it is near enough to be a typo of it
/// (at most max(2, |typed| / 3) edits); the first of equally close ones.
[[nodiscard]] std::optional<std::string> closest_name(std::string_view typed,
                                                      const std::vector<std::string>& candidates);

}  // namespace amoc

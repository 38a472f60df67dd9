#include "amoc/did_you_mean.hpp"

#include <algorithm>

namespace amoc {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const auto above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> closest_name(std::string_view typed,
                                        const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  auto best_distance = std::string_view::npos;
  for (const auto& name : candidates)
    if (const auto d = edit_distance(typed, name); d < best_distance) {
      best_distance = d;
      best = &name;
    }
  // Far from everything: a suggestion would only confuse.
  if (!best || best_distance > std::max<std::size_t>(2, typed.size() / 3))
    return std::nullopt;
  return *best;
}

}  // namespace amoc

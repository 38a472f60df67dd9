#include "amoc/metrics_on_demand.hpp"

#include <algorithm>
#include <mutex>

namespace amoc::metrics {

namespace {

struct declarations {
  std::mutex mutex;
  std::vector<std::string> names;
};

// A function-local static: declarations are made during static initialization.
declarations& all() {
  static declarations instance;
  return instance;
}

// `*` matches any non-empty text; everything else matches itself.
bool matches(std::string_view pattern, std::string_view name) {
  const auto star = pattern.find('*');
  if (star == std::string_view::npos)
    return pattern == name;
  if (!name.starts_with(pattern.substr(0, star)))
    return false;
  const auto rest = pattern.substr(star + 1);
  for (auto i = star + 1; i <= name.size(); ++i)
    if (matches(rest, name.substr(i)))
      return true;
  return false;
}

}  // namespace

on_demand::on_demand(std::vector<std::string> names) {
  auto& d = all();
  std::lock_guard guard{d.mutex};
  std::move(names.begin(), names.end(), std::back_inserter(d.names));
}

bool is_on_demand(std::string_view name) {
  auto& d = all();
  std::lock_guard guard{d.mutex};
  return std::any_of(d.names.begin(), d.names.end(),
                     [name](const std::string& pattern) { return matches(pattern, name); });
}

}  // namespace amoc::metrics

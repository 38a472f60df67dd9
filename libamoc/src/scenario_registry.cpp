#include <algorithm>
#include <map>
#include <mutex>

#include "amoc/scenario.hpp"

namespace amoc {

namespace {

struct registry {
  std::mutex mutex;
  std::map<std::string, scenario_info, std::less<>> scenarios;
};

registry& instance() {
  static registry r;
  return r;
}

}  // namespace

bool register_scenario(scenario_info info) {
  auto& r = instance();
  std::lock_guard guard{r.mutex};
  auto name = info.name;
  r.scenarios.insert_or_assign(std::move(name), std::move(info));
  return true;
}

const scenario_info* find_scenario(std::string_view name) {
  auto& r = instance();
  std::lock_guard guard{r.mutex};
  // std::map nodes are stable, so the pointer outlives the lock.
  auto it = r.scenarios.find(name);
  return it == r.scenarios.end() ? nullptr : &it->second;
}

std::vector<std::string> scenario_names() {
  auto& r = instance();
  std::lock_guard guard{r.mutex};
  std::vector<std::string> names;
  for (const auto& [name, _] : r.scenarios)
    names.push_back(name);
  return names;
}

}  // namespace amoc

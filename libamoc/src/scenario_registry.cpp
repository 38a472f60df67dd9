#include "scenario_registry.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>

#include "amoc/error.hpp"

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

thread_local detail::registration_capture* capture = nullptr;

constexpr const char* built_in = "built-in";

bool replaces_built_in(const scenario_info& old, const scenario_info& plugin) {
  return old.origin == built_in && !old.source.empty() && old.source == plugin.source;
}

caf::error name_clash(const scenario_info& old, const std::string& origin) {
  auto owner = old.source.empty() ? old.origin : old.origin + " (" + old.source + ")";
  return make_error(ec::plugin_load_failed,
                    origin + ": scenario '" + old.name + "' is already registered by " + owner);
}

}  // namespace

bool register_scenario(scenario_info info, std::string_view source_file) {
  info.source = std::filesystem::path{source_file}.filename().string();
  if (capture) {
    capture->captured_.push_back(std::move(info));
    return true;
  }
  info.origin = built_in;
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

namespace detail {

registration_capture::registration_capture() : outer_(capture) { capture = this; }

registration_capture::~registration_capture() { capture = outer_; }

caf::error add_plugin_scenarios(std::vector<scenario_info> infos, const std::string& origin,
                                bool replace) {
  auto& r = instance();
  std::lock_guard guard{r.mutex};
  for (const auto& info : infos) {
    auto it = r.scenarios.find(info.name);
    if (it != r.scenarios.end() && !replace && !replaces_built_in(it->second, info))
      return name_clash(it->second, origin);
  }
  for (auto& info : infos) {
    info.origin = origin;
    auto name = info.name;
    r.scenarios.insert_or_assign(std::move(name), std::move(info));
  }
  return {};
}

}  // namespace detail

}  // namespace amoc

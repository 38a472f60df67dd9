#include "cli_config.hpp"

#include <cstdio>
#include <filesystem>

#include "amoc/config_file.hpp"
#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/metrics_settings.hpp"
#include "amoc/rest_gateway.hpp"
#include "amoc/scenario.hpp"
#include "amoc/settings.hpp"

namespace amoc::cli {

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items)
    text += (text.empty() ? "" : "; ") + item;
  return text;
}

void add_names(std::vector<std::string>& names, const std::vector<config::variable>& vars) {
  for (const auto& v : vars)
    names.push_back(v.name);
}

}  // namespace

std::vector<std::string> known_settings(const scenario_info* scenario) {
  std::vector<std::string> names;
  for (const auto* vars : {&builtin_variables(), &metrics_variables(), &node_link_variables(),
                           &rest_gateway::variables()})
    add_names(names, *vars);
  if (scenario) {
    add_names(names, scenario->variables);
    return names;
  }
  for (const auto& name : scenario_names())
    if (const auto* info = find_scenario(name))
      add_names(names, info->variables);
  return names;
}

std::vector<variable_group> known_variable_groups() {
  std::vector<variable_group> groups{{"Run settings", builtin_variables()},
                                     {"Metrics", metrics_variables()},
                                     {"Distributed runs", node_link_variables()},
                                     {"REST gateway (serve, --rest)", rest_gateway::variables()}};
  for (const auto& name : scenario_names())
    if (const auto* info = find_scenario(name); info && !info->variables.empty())
      groups.push_back({"Scenario " + name, info->variables});
  return groups;
}

caf::error load_config_file(config::store& store, const std::string& path) {
  if (auto err = config::load_file(store, path))
    return err;
  // A config file may serve every scenario and the node: any of their names is fine.
  const auto unknown = config::unknown_settings(store.file_values(), known_settings(nullptr));
  if (!unknown.empty())
    return make_error(ec::bad_config_file, path + ": " + joined(unknown));
  return {};
}

void warn_unknown_environment() {
  for (const auto& warning :
       config::unknown_environment_settings(config::amoc_environment(), known_settings(nullptr)))
    std::fprintf(stderr, "amoc: warning: %s\n", warning.c_str());
}

caf::error check_run_settings(const run_file& run, const std::string& origin) {
  // An unknown scenario is reported by the run itself, naming the known ones.
  const auto* info = find_scenario(run.scenario);
  if (!info)
    return {};
  const auto unknown = config::unknown_settings(run.settings, known_settings(info));
  if (!unknown.empty())
    return make_error(ec::bad_run_file, origin + ": \"settings\" of scenario " + run.scenario + ": "
                                          + joined(unknown));
  return {};
}

caf::error load_config(config::store& store, const std::optional<std::string>& path) {
  warn_unknown_environment();
  if (path)
    return load_config_file(store, *path);
  if (std::filesystem::exists(defaults::cli::config_file))
    return load_config_file(store, defaults::cli::config_file);
  return {};
}

caf::expected<std::size_t> checked_node_threads(const config::store& store) {
  try {
    return node_threads(store);
  } catch (const config::error& e) {
    return make_error(ec::invalid_config, e.what());
  }
}

caf::expected<runtime::options> master_options(const config::store& store,
                                               std::vector<std::string> nodes,
                                               const std::optional<link_security>& security) {
  runtime::options opts;
  opts.nodes = std::move(nodes);
  try {
    opts.threads = node_threads(store);
    if (opts.nodes.empty())
      opts.nodes = store.get<std::vector<std::string>>("nodes", {});
  } catch (const config::error& e) {
    return make_error(ec::invalid_config, e.what());
  }
  if (opts.nodes.empty())
    return opts;
  opts.security = security ? *security : link_security::from(store);
  if (auto err = opts.security.check())
    return err;
  return opts;
}

}  // namespace amoc::cli

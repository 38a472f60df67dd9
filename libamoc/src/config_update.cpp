#include "amoc/config_update.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include "amoc/error.hpp"
#include "amoc/metrics_settings.hpp"
#include "amoc/scenario.hpp"
#include "amoc/settings.hpp"

namespace amoc::config {

namespace {

// Settings amoc reads without a declaration: the worker nodes a console
// connects to on its first distributed command, and the links to them.
constexpr std::array<std::string_view, 6> node_settings{"nodes",   "node_cert",     "node_key",
                                                        "node_ca", "node_insecure", "node_wait"};

// The variable behind `name` when a live update of it may go ahead.
caf::expected<std::optional<variable>> updatable(const store& s, const std::string& name,
                                                 const json& value, bool during_run) {
  auto var = s.declared(name);
  source from = source::missing;
  (void)s.lookup(name, &from);
  if (from == source::environment)
    return make_error(ec::read_only_setting,
                      name + " is fixed by the environment variable AMOC_" + name);
  if (!var && during_run)
    return make_error(ec::invalid_config,
                      name + " is not a setting of the running scenario (not declared)");
  if (!var)
    var = known_variable(name);
  if (!var) {
    if (std::find(node_settings.begin(), node_settings.end(), name) != node_settings.end())
      return var;
    return make_error(ec::invalid_config, name
                                            + " is not a setting of amoc or of any scenario it has "
                                              "(`amoc scenarios list` shows them)");
  }
  if (during_run && !var->update.allowed)
    return make_error(ec::read_only_setting, name + " is read-only during a run");
  if (auto problem = check_value(*var, value))
    return make_error(ec::invalid_config, *problem);
  return var;
}

}  // namespace

std::optional<variable> known_variable(std::string_view name) {
  for (const auto* vars : {&builtin_variables(), &metrics_variables()})
    for (const auto& var : *vars)
      if (var.name == name)
        return var;
  for (const auto& scenario : scenario_names())
    if (const auto* info = find_scenario(scenario))
      for (const auto& var : info->variables)
        if (var.name == name)
          return var;
  return std::nullopt;
}

caf::error update(store& s, const json& values, bool during_run) {
  if (!values.is_object() || values.empty())
    return make_error(ec::invalid_argument,
                      "settings to update must be a non-empty JSON object of name -> value");
  std::vector<std::optional<variable>> vars;
  for (const auto& [name, value] : values.items()) {
    auto var = updatable(s, name, value, during_run);
    if (!var)
      return var.error();
    vars.push_back(std::move(*var));
  }
  auto var = vars.begin();
  for (const auto& [name, value] : values.items()) {
    const auto& v = *var++;
    if (during_run && v && v->update.apply) {
      try {
        v->update.apply(*convert_to(v->type, value));
      } catch (const std::exception& e) {
        return make_error(ec::invalid_config, name + ": update refused: " + e.what());
      }
    }
    s.set(name, value);
  }
  return {};
}

}  // namespace amoc::config

#include "amoc/config_update.hpp"

#include <exception>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include "amoc/error.hpp"

namespace amoc::config {

namespace {

// The variable behind `name` when a live update of it may go ahead.
caf::expected<std::optional<variable>> updatable(const store& s, const std::string& name,
                                                 const json& value, bool during_run) {
  auto var = s.declared(name);
  source from = source::missing;
  (void)s.lookup(name, &from);
  if (from == source::environment)
    return make_error(ec::read_only_setting,
                      name + " is fixed by the environment variable AMOC_" + name);
  if (!var) {
    if (during_run)
      return make_error(ec::invalid_config,
                        name + " is not a setting of the running scenario (not declared)");
    return var;
  }
  if (during_run && !var->update.allowed)
    return make_error(ec::read_only_setting, name + " is read-only during a run");
  if (auto problem = check_value(*var, value))
    return make_error(ec::invalid_config, *problem);
  return var;
}

}  // namespace

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

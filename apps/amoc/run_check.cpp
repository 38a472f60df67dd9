#include "run_check.hpp"

#include <cstdio>

#include "amoc/config_file.hpp"
#include "amoc/did_you_mean.hpp"
#include "amoc/error.hpp"
#include "amoc/json_input.hpp"
#include "amoc/link_security.hpp"
#include "amoc/metrics_settings.hpp"
#include "amoc/scenario.hpp"
#include "amoc/settings.hpp"
#include "amoc/users_file.hpp"
#include "cli_config.hpp"
#include "exit_codes.hpp"

namespace amoc::cli {

namespace {

// Where a setting's value came from, as the user would look for it.
std::string field_of(const config::store& store, const std::string& name,
                     const std::optional<std::string>& config_file) {
  config::source from = config::source::missing;
  (void)store.lookup(name, &from);
  switch (from) {
  case config::source::environment: return "AMOC_" + name;
  case config::source::runtime: return "settings." + name;
  case config::source::file:
    return name + " (config file " + config_file.value_or(defaults::cli::config_file) + ")";
  default: return name;
  }
}

// Every value given (or defaulted) by the variable's type and rule; a
// variable without default that nothing sets only when `presence` (a local
// run: a distributed run's worker nodes may set it in their own config).
void check_values(const config::store& store, const std::vector<config::variable>& vars,
                  bool presence, const run_check_options& opts, std::vector<run_problem>& out) {
  for (auto var : vars) {
    const bool given = store.lookup(var.name).has_value();
    if (!given && var.default_text.empty() && (var.optional || !presence))
      continue;
    for (const auto& problem : store.validate({var}))
      out.push_back(
        {field_of(store, var.name, opts.config_file), make_error(ec::invalid_config, problem)});
  }
}

caf::error unknown_scenario(const std::string& name) {
  const auto known = scenario_names();
  std::string list;
  for (const auto& n : known)
    list += (list.empty() ? "" : ", ") + n;
  const auto close = closest_name(name, known);
  return make_error(ec::unknown_scenario,
                    name + (close ? " (did you mean " + *close + "?)" : "") + "; known: " + list);
}

bool distributed(const run_file& run, const config::store& store) {
  if (!run.nodes.empty())
    return true;
  try {
    return !store.get<std::vector<std::string>>("nodes", {}).empty();
  } catch (const config::error&) {
    return false;  // reported with the settings' values
  }
}

// The settings of `run` as the run checks them: names, then values.
void check_settings(const run_file& run, const std::string& path, const config::store& store,
                    bool config_loaded, const run_check_options& opts,
                    std::vector<run_problem>& out) {
  const auto* info = find_scenario(run.scenario);
  if (!info && !run.scenario.empty())
    out.push_back({"scenario", unknown_scenario(run.scenario)});
  else if (auto err = check_run_settings(run, path))
    out.push_back({"settings", err});
  const bool dist = distributed(run, store);
  // Without its config file a required setting may only seem missing.
  const bool presence = config_loaded && !dist;
  check_values(store, builtin_variables(), presence, opts, out);
  check_values(store, metrics_variables(), false, opts, out);
  if (info)
    check_values(store, info->variables, presence, opts, out);
  if (dist) {
    check_values(store, node_link_variables(), false, opts, out);
    if (!opts.node_links)
      return;
    if (auto err = link_security::from(store).check())
      out.push_back({"node links (node_cert, node_key, node_ca, node_insecure)", err});
  }
}

// What can be read of a run file that did not parse as a whole.
run_file partial_run(const nlohmann::json& doc) {
  run_file run;
  if (!doc.is_object())
    return run;
  if (auto it = doc.find("scenario"); it != doc.end() && it->is_string())
    run.scenario = it->get<std::string>();
  if (auto it = doc.find("settings"); it != doc.end() && it->is_object())
    run.settings = *it;
  if (auto it = doc.find("nodes"); it != doc.end() && it->is_array())
    for (const auto& node : *it)
      if (node.is_string())
        run.nodes.push_back(node.get<std::string>());
  return run;
}

// The users file read as the run would: its CSV, columns, usernames, and a
// row for every id up to the run's last.
caf::error users_file_problem(const config::store& store, const run_file& run) {
  std::string path;
  try {
    path = store.get<std::string>("users_file", "");
  } catch (const config::error&) {
    return {};  // reported with the settings' values
  }
  return path.empty() ? caf::error{} : users::check_file(path, run.first_id, run.last_id);
}

}  // namespace

checked_run check_run(const std::string& path, config::store& store,
                      const run_check_options& opts) {
  checked_run result;
  auto text = input::read_file(path, ec::bad_run_file);
  if (!text) {
    result.problems.push_back({"(file)", text.error()});
    return result;
  }
  auto doc = input::parse_json(*text, ec::bad_run_file);
  if (!doc) {
    result.problems.push_back(
      {"(syntax)", make_error(ec::bad_run_file, path + ": " + context_of(doc.error()))});
    return result;
  }
  result.problems = run_file_problems(*doc, path);
  const auto config_err = load_config(store, opts.config_file);
  if (config_err)
    result.problems.push_back({"--config", config_err});
  auto run = parse_run_file(*doc, path);
  // A file with bad fields still has its settings checked.
  const auto checked = run ? *run : partial_run(*doc);
  apply_settings(store, checked);
  check_settings(checked, path, store, !config_err, opts, result.problems);
  if (!run)
    return result;
  if (opts.metric_names)
    for (auto& p : metric_name_problems(*run))
      result.problems.push_back(std::move(p));
  if (opts.users_file)
    if (auto err = users_file_problem(store, *run))
      result.problems.push_back({"settings.users_file", err});
  result.run = std::move(*run);
  return result;
}

int report_problems(std::string_view command, const std::string& path,
                    const std::vector<run_problem>& problems) {
  const auto name = std::string{command};
  if (problems.size() == 1) {
    std::fprintf(stderr, "amoc %s: %s: %s\n", name.c_str(), problems[0].field.c_str(),
                 render(problems[0].error).c_str());
    return exit_code_for(problems[0].error);
  }
  std::fprintf(stderr, "amoc %s: %s: %zu problems:\n", name.c_str(), path.c_str(), problems.size());
  int code = success;
  for (const auto& p : problems) {
    std::fprintf(stderr, "  %s: %s\n", p.field.c_str(), render(p.error).c_str());
    if (code == success)
      code = exit_code_for(p.error);
  }
  return code;
}

}  // namespace amoc::cli

#include "console/interpreter.hpp"

#include <exception>

#include "amoc/config_update.hpp"
#include "amoc/defaults.hpp"
#include <nlohmann/json.hpp>

#include "amoc/error.hpp"
#include "amoc/log.hpp"
#include "amoc/metrics_settings.hpp"
#include "amoc/scenario.hpp"
#include "amoc/settings.hpp"
#include "console/text.hpp"

namespace amoc::console {

namespace {

bool active(run_state s) { return s == run_state::running || s == run_state::terminating; }

std::string failed(const caf::error& err) { return "error: " + message_of(err); }

// A setting's declaration: in the store (a run declared it), or anywhere in amoc.
std::optional<config::variable> variable_named(const config::store& store, std::string_view name) {
  if (auto var = store.declared(name))
    return var;
  return config::known_variable(name);
}

std::string unknown_scenario(const std::string& name) {
  std::string known;
  for (const auto& n : interpreter::scenarios())
    known += (known.empty() ? "" : ", ") + n;
  return "unknown scenario '" + name + "' (known: " + known + ")";
}

const char* source_name(config::source from) {
  switch (from) {
  case config::source::environment: return "from the environment";
  case config::source::runtime: return "set at run time";
  case config::source::file: return "from the config file";
  case config::source::declared: return "default";
  case config::source::missing: break;
  }
  return "missing";
}

std::string users_word(std::uint64_t n) {
  return std::to_string(n) + (n == 1 ? " user" : " users");
}

}  // namespace

interpreter::interpreter(config::store& store, dist_options dist)
    : store_(store), dist_options_(std::move(dist)) {
  // Its callers checked node_threads (checked_node_threads).
  local_.rt = std::make_unique<runtime>(runtime::options::local(&store_, node_threads(store_)));
}

interpreter::~interpreter() = default;

std::vector<std::string> interpreter::scenarios() { return scenario_names(); }

reply interpreter::execute(std::string_view line, session& s) {
  auto cmd = parse_command(line);
  if (!cmd)
    return {context_of(cmd.error()), false};
  std::lock_guard guard{mutex_};
  try {
    if (cmd->what == verb::quit)
      return {s.attached ? "detached; the node keeps running" : "", true};
    return {run(*cmd, s), false};
  } catch (const std::exception& e) {
    // A console must outlive any failing command.
    return {std::string{"error: "} + e.what(), false};
  }
}

std::string interpreter::run(const command& cmd, session& s) {
  switch (cmd.what) {
  case verb::status: return status_text();
  case verb::nodes: return nodes_text();
  case verb::scenarios: {
    std::string text;
    for (const auto& name : scenarios()) {
      const auto* info = find_scenario(name);
      text += name + (info ? "  " + info->description : "") + "\n";
    }
    return text;
  }
  case verb::config_get: return config_get(cmd);
  case verb::config_set: return config_set(cmd);
  case verb::log_level: {
    auto lvl = log::parse_level(cmd.name);
    if (!lvl)
      return "unknown log level '" + cmd.name + "'\nusage: " + std::string{spec_of(cmd.what).usage};
    log::set_level(*lvl);
    return std::string{"log level "} + log::to_string(*lvl);
  }
  case verb::progress:
    s.progress = cmd.on;
    return cmd.on ? "progress on: a line every second while a run is active" : "progress off";
  case verb::help: {
    auto text = help_text(cmd.name);
    return text ? *text : context_of(text.error());
  }
  case verb::run_file: return run_file_command(cmd);
  case verb::result: return result_text(cmd.path);
  case verb::quit: break;
  default: return run_users(cmd);
  }
  return {};
}

std::string interpreter::run_users(const command& cmd) {
  const bool dist =
    cmd.what == verb::dist_do || cmd.what == verb::dist_add || cmd.what == verb::dist_remove;
  auto& t = dist ? dist_ : local_;
  if (dist) {
    auto rt = dist_runtime();
    if (!rt)
      return failed(rt.error());
  }
  auto& rt = *t.rt;
  const auto where = dist ? "dist" : "local";
  switch (cmd.what) {
  case verb::local_do:
  case verb::dist_do: {
    if (!find_scenario(cmd.scenario))
      return unknown_scenario(cmd.scenario);
    auto run = run_of_command(cmd);
    if (!run)
      return failed(run.error());
    if (auto err = launch(t, *run))
      return failed(err);
    return std::string{where} + ": started " + cmd.scenario + " with users "
           + std::to_string(cmd.first) + ".." + std::to_string(cmd.last);
  }
  case verb::local_add:
  case verb::dist_add: {
    if (auto err = dist ? rt.add(cmd.count, cmd.nodes) : rt.add(cmd.count))
      return failed(err);
    return std::string{where} + ": adding " + users_word(cmd.count);
  }
  default: {
    auto removed =
      dist ? rt.remove(cmd.count, cmd.force, cmd.nodes) : rt.remove(cmd.count, cmd.force);
    if (!removed)
      return failed(removed.error());
    return std::string{where} + ": removing " + users_word(*removed)
           + (cmd.force ? " by force" : " (they finish their iteration)");
  }
  }
}

caf::expected<runtime*> interpreter::gateway_runtime() {
  std::lock_guard lock{mutex_};
  const bool nodes_configured =
    !dist_options_.nodes.empty() || !store_.get<std::vector<std::string>>("nodes", {}).empty();
  if (nodes_configured)
    return dist_runtime();
  return local_.rt.get();
}

caf::expected<runtime*> interpreter::dist_runtime() {
  if (dist_.rt)
    return dist_.rt.get();
  runtime::options opts;
  opts.store = &store_;
  opts.nodes = dist_options_.nodes;
  if (opts.nodes.empty())
    opts.nodes = store_.get<std::vector<std::string>>("nodes", {});
  if (opts.nodes.empty())
    return make_error(ec::invalid_argument,
                      "no worker nodes: start the console with --nodes HOST:PORT,... "
                      "or set `nodes` in the config file");
  opts.security =
    dist_options_.security_given ? dist_options_.security : link_security::from(store_);
  if (auto err = opts.security.check())
    return err;
  dist_.rt = std::make_unique<runtime>(std::move(opts));
  // Waits for the nodes once, so `nodes` right after shows them up (or why not).
  (void)dist_.rt->await_nodes(defaults::dist::node_wait);
  return dist_.rt.get();
}

std::string interpreter::status_text() {
  std::string text;
  for (auto* t : {&local_, &dist_}) {
    if (!t->rt)
      continue;
    auto st = t->rt->status();
    const auto label = t == &local_ ? "local" : "dist";
    text += std::string{label} + ": " + (st ? to_string(*st) : failed(st.error())) + "\n";
  }
  if (!dist_.rt)
    text += "dist: not connected (the first dist command connects)\n";
  return text;
}

std::string interpreter::nodes_text() {
  auto rt = dist_runtime();
  if (!rt)
    return failed(rt.error());
  auto st = (*rt)->status();
  if (!st)
    return failed(st.error());
  std::string text;
  for (const auto& node : st->nodes)
    text += "  node " + to_string(node) + "\n";
  return text;
}

std::string interpreter::config_get(const command& cmd) {
  config::source from = config::source::missing;
  auto value = store_.lookup(cmd.name, &from);
  if (!value) {
    auto var = variable_named(store_, cmd.name);
    if (!var || var->default_text.empty())
      return cmd.name + " is not set";
    return cmd.name + " = " + var->default_text + " (default)";
  }
  const auto text = value->is_string() ? value->get<std::string>() : value->dump();
  return cmd.name + " = " + text + " (" + source_name(from) + ")";
}

std::string interpreter::config_set(const command& cmd) {
  const config::json values{{cmd.name, cmd.value}};
  // During a run the value goes to every node of the run, if the setting allows it.
  const auto runs = active_runs();
  const bool during_run = !runs.empty();
  for (const auto& [t, st] : runs)
    if (auto err = t->rt->update_settings(values))
      return failed(err);
  if (during_run)
    return cmd.name + " = " + cmd.value + " (on every node of the run)";
  // For the next run. A known setting is checked first (in a scratch store),
  // so a bad value never replaces a good one.
  if (auto var = variable_named(store_, cmd.name)) {
    config::store scratch;
    scratch.set_text(cmd.name, cmd.value);
    auto problems = scratch.validate({*var});
    if (!problems.empty())
      return "error: " + problems.front();
  }
  if (auto err = local_.rt->update_settings(values))
    return failed(err);
  return cmd.name + " = " + cmd.value;
}

std::vector<std::pair<interpreter::tracked*, status>> interpreter::active_runs() {
  std::vector<std::pair<tracked*, status>> runs;
  for (auto* t : {&local_, &dist_})
    if (t->rt)
      if (auto st = t->rt->status(); st && active(st->state))
        runs.emplace_back(t, std::move(*st));
  return runs;
}

std::string interpreter::leave_notice() {
  std::lock_guard guard{mutex_};
  return users_to_stop();
}

std::string interpreter::users_to_stop() {
  std::uint64_t users = 0;
  for (const auto& [t, st] : active_runs())
    users += st.users.alive() + st.users.pending;
  return users == 0 ? "no users running" : "stopping " + users_word(users);
}

void interpreter::stop_runs(duration timeout) {
  std::lock_guard guard{mutex_};
  for (const auto& [t, st] : active_runs()) {
    (void)t->rt->stop(false);
    if (!t->rt->wait(timeout))
      (void)t->rt->stop(true);
  }
}

std::vector<std::string> interpreter::progress_lines() {
  std::lock_guard guard{mutex_};
  std::vector<std::string> lines;
  for (const auto& [t, st] : active_runs()) {
    const auto elapsed =
      std::chrono::duration_cast<duration>(std::chrono::steady_clock::now() - t->started);
    auto snapshot = t->rt->metrics_snapshot();
    const auto rates = snapshot ? t->rates.part(*snapshot, elapsed) : std::string{};
    lines.push_back(std::string{t == &local_ ? "local " : "dist  "}
                    + cli::progress_line(st, elapsed, rates));
  }
  return lines;
}

}  // namespace amoc::console

#include "amoc/run_file.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <limits>

#include <caf/sec.hpp>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/json_input.hpp"

namespace amoc {

namespace {

using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;

caf::error problem(const std::string& origin, const std::string& what) {
  return make_error(ec::bad_run_file, origin + ": " + what);
}

caf::error read_users(const json& doc, const std::string& origin, run_file& run) {
  const auto it = doc.find("users");
  if (it == doc.end() && !run.stages.empty())
    return {};
  if (it == doc.end())
    return problem(origin, "missing \"users\": [first_id, last_id] (or \"stages\")");
  const auto& users = *it;
  auto is_id = [](const json& x) { return x.is_number_integer() && x.get<std::int64_t>() > 0; };
  if (!users.is_array() || users.size() != 2 || !is_id(users[0]) || !is_id(users[1]))
    return problem(origin, "\"users\" must be [first_id, last_id] with positive integers, got "
                             + users.dump());
  run.first_id = users[0].get<std::uint64_t>();
  run.last_id = users[1].get<std::uint64_t>();
  if (run.first_id > run.last_id)
    return problem(origin, "\"users\": first id " + std::to_string(run.first_id)
                             + " is greater than last id " + std::to_string(run.last_id));
  return {};
}

caf::error read_stages(const json& doc, const std::string& origin, run_file& run) {
  const auto it = doc.find("stages");
  if (it == doc.end())
    return {};
  auto plan = parse_stages(*it, origin);
  if (!plan)
    return plan.error();
  run.stages = std::move(*plan);
  return {};
}

// With stages, "users" is optional and only bounds the ids the plan uses.
caf::error check_ids(const json& doc, const std::string& origin, run_file& run) {
  if (run.stages.empty())
    return {};
  const auto needed = run.stages.ids_needed();
  if (!doc.contains("users")) {
    run.first_id = 1;
    run.last_id = needed;
    return {};
  }
  if (run.last_id - run.first_id + 1 < needed)
    return problem(origin, "the stages start " + std::to_string(needed)
                             + " users in all, but "
                               "\"users\" allows only "
                             + std::to_string(run.last_id - run.first_id + 1));
  run.last_id = run.first_id + needed - 1;
  return {};
}

caf::error read_duration(const json& doc, const char* key, const std::string& origin,
                         std::optional<duration>& out) {
  const auto it = doc.find(key);
  if (it == doc.end())
    return {};
  auto parsed = config::convert_to(config::type::duration, *it);
  if (!parsed || parsed->get<std::int64_t>() <= 0)
    return problem(origin, std::string{"\""} + key
                             + "\" must be a positive duration such as "
                               "\"30s\" or \"5m\", got "
                             + it->dump());
  out = duration{parsed->get<std::int64_t>()};
  return {};
}

caf::error check_keys(const json& doc, const std::string& origin) {
  static const char* known[] = {
    "scenario",   "users", "settings", "duration", "graceful_stop_timeout",
    "thresholds", "nodes", "comment",  "stages",   "batches"};
  for (const auto& [key, _] : doc.items())
    if (std::find(std::begin(known), std::end(known), key) == std::end(known))
      return problem(origin, "unknown key \"" + key
                               + "\" (known: scenario, users, settings, duration, "
                                 "graceful_stop_timeout, thresholds, nodes, comment, stages, "
                                 "batches)");
  return {};
}

// {"metric": ["expr", ...]} or {"metric": "expr"}; every expression is parsed
// now, so a typo fails before any user starts.
caf::error read_thresholds(const json& doc, const std::string& origin, run_file& run) {
  const auto it = doc.find("thresholds");
  if (it == doc.end())
    return {};
  if (!it->is_object())
    return problem(origin, "\"thresholds\" must be an object of metric: [\"expression\", ...]");
  for (const auto& [metric, list] : it->items()) {
    const auto exprs = list.is_string() ? json::array({list}) : list;
    if (!exprs.is_array() || exprs.empty())
      return problem(origin, "thresholds of " + metric
                               + " must be a list of expressions such as [\"p99 < 500ms\"], got "
                               + list.dump());
    for (const auto& e : exprs) {
      if (!e.is_string())
        return problem(origin, "threshold of " + metric + " must be a string, got " + e.dump());
      auto t = parse_threshold(metric, e.get<std::string>());
      if (!t)
        return problem(origin, context_of(t.error()));
      run.thresholds.push_back(std::move(*t));
    }
  }
  return {};
}

// "nodes": ["host:port", ...] makes the run distributed; "comment" annotates it.
caf::error read_nodes(const json& doc, const std::string& origin, run_file& run) {
  if (auto it = doc.find("nodes"); it != doc.end()) {
    if (!it->is_array() || it->empty())
      return problem(origin,
                     "\"nodes\" must be a non-empty list of \"host:port\", got " + it->dump());
    for (const auto& n : *it) {
      if (!n.is_string() || n.get<std::string>().find(':') == std::string::npos)
        return problem(origin, "a node must be \"host:port\", got " + n.dump());
      run.nodes.push_back(n.get<std::string>());
    }
  }
  if (auto it = doc.find("comment"); it != doc.end()) {
    if (!it->is_string())
      return problem(origin, "\"comment\" must be a string, got " + it->dump());
    run.comment = it->get<std::string>();
  }
  return {};
}

}  // namespace

caf::expected<run_file> parse_run_file(const json& doc, const std::string& origin) {
  if (!doc.is_object())
    return problem(origin, "top level must be a JSON object");
  if (auto err = check_keys(doc, origin))
    return err;
  run_file run;
  const auto scenario = doc.find("scenario");
  if (scenario == doc.end() || !scenario->is_string() || scenario->get<std::string>().empty())
    return problem(origin, "\"scenario\" must be the name of a scenario");
  run.scenario = scenario->get<std::string>();
  if (auto err = read_stages(doc, origin, run))
    return err;
  if (auto err = read_users(doc, origin, run))
    return err;
  if (auto err = check_ids(doc, origin, run))
    return err;
  if (auto it = doc.find("settings"); it != doc.end()) {
    if (!it->is_object())
      return problem(origin, "\"settings\" must be an object of name: value");
    run.settings = *it;
  }
  if (auto err = read_duration(doc, "duration", origin, run.max_duration))
    return err;
  std::optional<duration> grace;
  if (auto err = read_duration(doc, "graceful_stop_timeout", origin, grace))
    return err;
  run.graceful_stop_timeout = grace.value_or(defaults::cli::graceful_stop_timeout);
  if (auto err = read_thresholds(doc, origin, run))
    return err;
  if (auto err = read_nodes(doc, origin, run))
    return err;
  if (auto it = doc.find("batches"); it != doc.end()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() <= 0)
      return problem(origin, "\"batches\" must be a positive number of batches, got " + it->dump());
    run.batches = it->get<std::uint64_t>();
  }
  return run;
}

caf::expected<run_file> load_run_file(const std::string& path) {
  auto text = input::read_file(path, ec::bad_run_file);
  if (!text)
    return text.error();
  auto doc = input::parse_json(*text, ec::bad_run_file);
  if (!doc)
    return problem(path, context_of(doc.error()));
  return parse_run_file(*doc, path);
}

void apply_settings(config::store& store, const run_file& run) {
  for (const auto& [key, value] : run.settings.items())
    store.set(key, value);
}

}  // namespace amoc

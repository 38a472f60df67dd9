// The run file's fields one by one, and the thresholds' metric names: their
// syntax, the users.* names every run has, and for a built-in scenario the
// names it records (scenarios/check/metric_patterns.hpp).
//
// libamoc's run file parser stops at the first problem. To report them all
// with the parser's own words, each field is parsed on its own beside a
// minimal valid run ("users" and "stages" together: each bounds the other),
// and each threshold expression on its own.

#include <algorithm>
#include <cctype>
#include <set>

#include "amoc/did_you_mean.hpp"
#include "amoc/error.hpp"
#include "amoc/scenario.hpp"
#include "check/metric_patterns.hpp"
#include "run_check.hpp"

namespace amoc::cli {

namespace {

using json = nlohmann::json;

std::optional<caf::error> parse_problem(const json& doc, const std::string& origin) {
  auto run = parse_run_file(doc, origin);
  if (run)
    return std::nullopt;
  return run.error();
}

// A valid run with `key` of `doc` (and what it depends on) in it.
json alone(const json& doc, const std::string& key) {
  json trial{{"scenario", "any"}};
  trial[key] = doc[key];
  if (key == "users" && doc.contains("stages"))
    trial["stages"] = doc["stages"];
  if (key == "stages" && doc.contains("users"))
    trial["users"] = doc["users"];
  if (!trial.contains("users") && !trial.contains("stages"))
    trial["users"] = json::array({1, 1});
  return trial;
}

// Each expression of each metric on its own: all bad ones, not the first.
void threshold_problems(const json& doc, const std::string& origin, std::vector<run_problem>& out) {
  const auto& all = doc["thresholds"];
  if (!all.is_object()) {
    out.push_back({"thresholds", *parse_problem(alone(doc, "thresholds"), origin)});
    return;
  }
  for (const auto& [metric, exprs] : all.items()) {
    const auto list = exprs.is_array() && !exprs.empty() ? exprs : json::array({exprs});
    for (const auto& e : list) {
      auto trial = alone(doc, "thresholds");
      trial["thresholds"] =
        json{{metric, exprs.is_array() && !exprs.empty() ? json::array({e}) : e}};
      if (auto err = parse_problem(trial, origin))
        out.push_back({"thresholds." + metric, *err});
    }
  }
}

bool plain_name_char(char c) { return std::isgraph(static_cast<unsigned char>(c)) != 0; }

// Names the runtime records under "users." for every run.
std::vector<std::string> user_metric_names() {
  std::vector<std::string> names{"users.started", "users.running"};
  for (auto reason : all_exit_reasons)
    names.push_back(std::string{"users.ended."} + to_string(reason));
  return names;
}

// What the scenario called `name` records besides users.*, when that is known:
// for a built-in one (a plugin may have replaced it under the same name).
const scenarios::metric_patterns* recorded_metrics(const std::string& name) {
  const auto* info = find_scenario(name);
  return info && info->origin == "built-in" ? scenarios::built_in_metrics(name) : nullptr;
}

bool records(const scenarios::metric_patterns& recorded, const std::string& metric) {
  return std::any_of(recorded.begin(), recorded.end(),
                     [&](const auto& pattern) { return scenarios::matches(pattern, metric); });
}

caf::error not_recorded(const std::string& metric, const std::string& scenario,
                        const scenarios::metric_patterns& recorded) {
  auto names = user_metric_names();
  for (const auto& pattern : recorded)
    names.push_back(scenarios::filled_in(pattern, metric));
  const auto close = closest_name(metric, names);
  return make_error(ec::bad_run_file,
                    metric + " is not a metric scenario " + scenario + " records"
                      + (close ? " (did you mean " + *close + "?)" : std::string{})
                      + (recorded.empty() ? "; it records the users.* metrics only"
                                          : "; docs/metrics.md lists what each scenario records"));
}

// The problem with threshold metric `m` of a run of `scenario`, if any;
// `recorded` is what the scenario records, nullptr when not known.
caf::error metric_name_problem(const std::string& m, const std::string& scenario,
                               const scenarios::metric_patterns* recorded) {
  const bool plain = !m.empty() && std::all_of(m.begin(), m.end(), plain_name_char);
  if (!plain || m.front() == '.' || m.back() == '.' || m.find("..") != std::string::npos)
    return make_error(ec::bad_run_file, "\"" + m
                                          + "\" is not a metric name: dot-separated words "
                                            "without spaces, such as xmpp.ttd");
  if (m.starts_with("users.")) {
    const auto users = user_metric_names();
    if (std::find(users.begin(), users.end(), m) != users.end())
      return {};
    const auto close = closest_name(m, users);
    return make_error(ec::bad_run_file,
                      m + " is not a metric the runtime records"
                        + (close ? " (did you mean " + *close + "?)" : std::string{})
                        + "; under users. there are users.started, users.running and "
                          "users.ended.REASON");
  }
  if (!recorded || records(*recorded, m))
    return {};
  return not_recorded(m, scenario, *recorded);
}

}  // namespace

std::vector<run_problem> run_file_problems(const json& doc, const std::string& origin) {
  if (!doc.is_object())
    return {{"(top level)", *parse_problem(doc, origin)}};
  std::vector<run_problem> out;
  std::set<std::string> seen;  // "users" and "stages" may both report their bound
  for (const auto& [key, value] : doc.items()) {
    if (key == "thresholds") {
      threshold_problems(doc, origin, out);
      continue;
    }
    auto err = parse_problem(alone(doc, key), origin);
    if (err && seen.insert(render(*err)).second)
      out.push_back({key, *err});
  }
  if (!doc.contains("scenario"))
    out.push_back({"scenario", *parse_problem(json::object({{"users", {1, 1}}}), origin)});
  if (!doc.contains("users") && !doc.contains("stages"))
    out.push_back({"users", *parse_problem(json{{"scenario", "any"}}, origin)});
  // Whatever the fields alone allow, the whole must parse too.
  if (out.empty())
    if (auto err = parse_problem(doc, origin))
      out.push_back({"(run file)", *err});
  return out;
}

std::vector<run_problem> metric_name_problems(const run_file& run) {
  std::vector<run_problem> out;
  const auto* recorded = recorded_metrics(run.scenario);
  std::set<std::string> seen;
  for (const auto& t : run.thresholds) {
    if (!seen.insert(t.metric).second)
      continue;
    if (auto err = metric_name_problem(t.metric, run.scenario, recorded))
      out.push_back({"thresholds." + t.metric, std::move(err)});
  }
  return out;
}

}  // namespace amoc::cli

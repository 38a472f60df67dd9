// The run file's fields one by one, and the thresholds' metric names.
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
  const auto users = user_metric_names();
  std::set<std::string> seen;
  for (const auto& t : run.thresholds) {
    if (!seen.insert(t.metric).second)
      continue;
    const auto field = "thresholds." + t.metric;
    const auto& m = t.metric;
    const bool plain = !m.empty() && std::all_of(m.begin(), m.end(), plain_name_char);
    if (!plain || m.front() == '.' || m.back() == '.' || m.find("..") != std::string::npos) {
      out.push_back(
        {field, make_error(ec::bad_run_file, "\"" + m
                                               + "\" is not a metric name: dot-separated words "
                                                 "without spaces, such as xmpp.ttd")});
      continue;
    }
    if (m.starts_with("users.") && std::find(users.begin(), users.end(), m) == users.end()) {
      const auto close = closest_name(m, users);
      out.push_back(
        {field, make_error(ec::bad_run_file,
                           m + " is not a metric the runtime records"
                             + (close ? " (did you mean " + *close + "?)" : std::string{})
                             + "; under users. there are users.started, users.running and "
                               "users.ended.REASON")});
    }
  }
  return out;
}

}  // namespace amoc::cli

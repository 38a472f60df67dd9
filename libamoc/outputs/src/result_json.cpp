#include "amoc/result_json.hpp"

#include <chrono>
#include <ctime>

#include "amoc/metrics_json.hpp"

namespace amoc {

using json = nlohmann::json;

namespace {

std::string iso8601(std::chrono::system_clock::time_point at) {
  const auto t = std::chrono::system_clock::to_time_t(at);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

json ended_json(const user_counts& users) {
  json ended = json::object();
  for (auto reason : all_exit_reasons)
    ended[to_string(reason)] = users.ended[reason];
  return ended;
}

// Per worker node: its counts and which user ids it ran.
json nodes_json(const std::vector<node_status>& nodes) {
  json result = json::array();
  for (const auto& n : nodes) {
    json ids = json::array();
    for (const auto& r : n.ids)
      if (!r.empty())
        ids.push_back({{"first", r.first}, {"count", r.count}, {"stride", r.stride}});
    result.push_back({{"name", n.name},
                      {"address", n.address},
                      {"up", n.up},
                      {"state", to_string(n.state)},
                      {"error", n.error},
                      {"started", n.users.started},
                      {"running", n.users.running},
                      {"waiting", n.users.waiting},
                      {"stopping", n.users.stopping},
                      {"pending", n.users.pending},
                      {"ended", ended_json(n.users)},
                      {"counters", n.counters},
                      {"ids", ids}});
  }
  return result;
}

}  // namespace

json to_json(const run_file& run, const run_result& result) {
  const auto& st = result.final_status;
  const auto ended = ended_json(st.users);
  json thresholds = json::array();
  for (const auto& t : result.thresholds) {
    thresholds.push_back({{"metric", t.criterion.metric},
                          {"expression", t.criterion.expression},
                          {"passed", t.passed},
                          {"actual", t.actual ? json(*t.actual) : json(nullptr)},
                          {"unit", t.unit},
                          {"note", t.note}});
  }
  return {
    {"scenario", run.scenario},
    {"state", to_string(st.state)},
    {"error", st.error},
    {"users",
     {{"first_id", run.first_id},
      {"last_id", st.next_id ? st.next_id - 1 : run.last_id},
      {"started", st.users.started},
      {"ended", ended},
      {"ended_total", st.users.ended_total()}}},
    {"stopped_by_duration", result.stopped_by_duration},
    {"stopped_by_scenario", result.stopped_by_scenario},
    {"interrupted", result.interrupted},
    {"forced_stop_after_timeout", result.forced},
    {"users_did_not_stop", result.users_did_not_stop},
    {"started_at", iso8601(result.started_at)},
    {"wall_time_s", std::chrono::duration<double>(result.wall_time).count()},
    {"thresholds", thresholds},
    {"metrics", metrics::totals_json(result.metrics, result.series, result.wall_time,
                                     result.metrics_interval)},
    {"series", metrics::series_json(result.series)},
    {"comment", st.comment},
    {"nodes", nodes_json(st.nodes)},
  };
}

}  // namespace amoc

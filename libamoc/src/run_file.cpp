#include "amoc/run_file.hpp"

#include <chrono>
#include <fstream>
#include <limits>
#include <thread>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/runtime.hpp"

namespace amoc {

namespace {

using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;

caf::error problem(const std::string& origin, const std::string& what) {
  return make_error(ec::bad_run_file, origin + ": " + what);
}

caf::error read_users(const json& doc, const std::string& origin, run_file& run) {
  const auto it = doc.find("users");
  if (it == doc.end())
    return problem(origin, "missing \"users\": [first_id, last_id]");
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
  static const char* known[] = {"scenario", "users", "settings", "duration",
                                "graceful_stop_timeout"};
  for (const auto& [key, _] : doc.items())
    if (std::find(std::begin(known), std::end(known), key) == std::end(known))
      return problem(origin, "unknown key \"" + key
                               + "\" (known: scenario, users, settings, duration, "
                                 "graceful_stop_timeout)");
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
  if (auto err = read_users(doc, origin, run))
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
  return run;
}

caf::expected<run_file> load_run_file(const std::string& path) {
  std::ifstream in{path};
  if (!in)
    return problem(path, "cannot open the file");
  try {
    return parse_run_file(json::parse(in), path);
  } catch (const json::parse_error& e) {
    return problem(path, std::string{"invalid JSON: "} + e.what());
  }
}

namespace {

using namespace std::chrono_literals;

// How often a waiting `execute` looks at the interrupt counter.
constexpr auto interrupt_poll = 50ms;

bool is_final(const status& st) {
  return st.state == run_state::finished || st.state == run_state::error;
}

// Watches the run, reporting progress every `interval`, until it reaches a
// final state, `until` passes, or the interrupt counter reaches `interrupts_to_stop`.
class watcher {
public:
  watcher(runtime& rt, const progress_callback& progress, duration interval,
          const std::atomic<int>* interrupts)
      : rt_(rt), progress_(progress), interval_(interval), interrupts_(interrupts) {}

  caf::expected<status> watch(std::optional<clock_type::time_point> until, int interrupts_to_stop) {
    auto next_report = clock_type::now();
    for (;;) {
      auto st = rt_.status();
      if (!st)
        return st.error();
      const auto now = clock_type::now();
      if (now >= next_report || is_final(*st)) {
        if (progress_)
          progress_(*st, now - started_);
        next_report = now + interval_;
      }
      if (is_final(*st) || (until && now >= *until) || interrupted(interrupts_to_stop))
        return st;
      auto wake = std::min(next_report, now + interrupt_poll);
      std::this_thread::sleep_until(until ? std::min(wake, *until) : wake);
    }
  }

  [[nodiscard]] bool interrupted(int at_least) const {
    return interrupts_ && interrupts_->load() >= at_least;
  }
  [[nodiscard]] duration elapsed() const { return clock_type::now() - started_; }

private:
  runtime& rt_;
  const progress_callback& progress_;
  duration interval_;
  const std::atomic<int>* interrupts_;
  clock_type::time_point started_ = clock_type::now();
};

}  // namespace

caf::expected<run_result> execute(runtime& rt, const run_file& run,
                                  const progress_callback& progress, duration interval,
                                  const std::atomic<int>* interrupts) {
  for (const auto& [key, value] : run.settings.items())
    rt.settings().set(key, value);
  watcher w{rt, progress, interval, interrupts};
  if (auto err = rt.start(run.scenario, run.first_id, run.last_id))
    return err;
  run_result result;
  std::optional<clock_type::time_point> deadline;
  if (run.max_duration)
    deadline = clock_type::now() + *run.max_duration;
  auto st = w.watch(deadline, 1);
  if (st && !is_final(*st)) {
    result.interrupted = w.interrupted(1);
    result.stopped_by_duration = !result.interrupted;
    // A run that ended on its own meanwhile refuses the stop; watch() sees it.
    (void)rt.stop(false);
    st = w.watch(clock_type::now() + run.graceful_stop_timeout, 2);
  }
  if (st && !is_final(*st)) {
    result.forced = true;
    (void)rt.stop(true);
    st = w.watch(std::nullopt, std::numeric_limits<int>::max());
  }
  if (!st)
    return st.error();
  result.final_status = *st;
  result.wall_time = w.elapsed();
  return result;
}

json to_json(const run_file& run, const run_result& result) {
  const auto& st = result.final_status;
  json ended = json::object();
  for (auto reason : all_exit_reasons)
    ended[to_string(reason)] = st.users.ended[static_cast<std::size_t>(reason) - 1];
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
    {"interrupted", result.interrupted},
    {"forced_stop_after_timeout", result.forced},
    {"wall_time_s", std::chrono::duration<double>(result.wall_time).count()},
  };
}

}  // namespace amoc

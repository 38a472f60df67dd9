#include "amoc/execute.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <limits>
#include <thread>

#include <caf/sec.hpp>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/json_input.hpp"
#include "amoc/log.hpp"
#include "amoc/metrics_json.hpp"
#include "amoc/runtime.hpp"
#include "amoc/scenario.hpp"

namespace amoc {

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

// How often a waiting `execute` looks at the interrupt counter.
constexpr auto interrupt_poll = 50ms;
// The longest `execute` waits for one answer from the node: a node whose
// threads a scenario holds (a user that never yields) cannot answer, and the
// watch must go on (deadlines, interrupts) without it.
constexpr auto answer_wait = 1s;
// After the forced stop: how long the users may go without one of them
// ending before the run is ended without them ("N users did not stop").
constexpr auto stop_stall_limit = 5s;

bool is_final(const status& st) { return is_final(st.state); }

// Watches the run, reporting progress every `progress_interval` and sampling
// the metrics every `metrics_interval`, until it reaches a final state,
// `until` passes, or the interrupt counter reaches `interrupts_to_stop`.
class watcher {
public:
  watcher(runtime& rt, const execute_options& opts)
      : rt_(rt), opts_(opts), sampler_([&rt, last = std::make_shared<metrics::snapshot>()] {
          // If the master cannot collect right now, the last view stands.
          if (auto s = rt.metrics_snapshot(answer_wait))
            *last = std::move(*s);
          return *last;
        }) {}

  /// The metrics' clock starts now: the registry was reset by the start.
  void started() {
    started_ = clock_type::now();
    next_sample_ = started_ + opts_.metrics_interval;
    // Until the node answers (it may never: its threads may be held), the run is running.
    last_.emplace().state = run_state::running;
  }

  caf::expected<status> watch(std::optional<clock_type::time_point> until, int interrupts_to_stop,
                              std::optional<duration> stall_limit = std::nullopt) {
    auto next_report = clock_type::now();
    for (;;) {
      auto answer = rt_.status(answer_wait);
      if (!answer && answer.error() != caf::sec::request_timeout)
        return answer.error();
      auto now = clock_type::now();
      if (answer)
        note_progress(*answer, now);
      const auto& st = last_;
      if (now >= next_sample_) {
        sample(now);
        next_sample_ = std::max(next_sample_ + opts_.metrics_interval, now);
      }
      if (now >= next_report || is_final(*st)) {
        if (opts_.progress)
          opts_.progress(*st, now - started_);
        next_report = now + opts_.progress_interval;
      }
      if (is_final(*st) || (until && now >= *until) || interrupted(interrupts_to_stop)
          || (stall_limit && now - last_progress_ >= *stall_limit))
        return *st;
      // The scenario asked to stop: the caller stops the run as at its duration.
      if (on_poll && on_poll(now)) {
        stop_requested_ = true;
        return *st;
      }
      auto wake = std::min({next_report, next_sample_, now + interrupt_poll});
      std::this_thread::sleep_until(until ? std::min(wake, *until) : wake);
    }
  }

  /// The last, usually shorter, interval.
  void finish() {
    const auto now = clock_type::now();
    if (now - started_ > sampler_.last())
      sample(now);
  }

  /// Measures a stall (see `watch`) from now on.
  void restart_stall_clock() { last_progress_ = clock_type::now(); }

  [[nodiscard]] bool interrupted(int at_least) const {
    return opts_.interrupts && opts_.interrupts->load() >= at_least;
  }
  [[nodiscard]] duration elapsed() const { return clock_type::now() - started_; }
  [[nodiscard]] const metrics::sampler& metrics() const { return sampler_; }

  /// Called on every poll of a running run (the scenario's hooks); true
  /// ends the watch as a reached duration would.
  std::function<bool(clock_type::time_point)> on_poll;
  [[nodiscard]] bool stop_requested() const noexcept { return stop_requested_; }

private:
  // Progress: an answer that shows users ending (or none left).
  void note_progress(status st, clock_type::time_point now) {
    const auto left = st.users.alive() + st.users.pending;
    if (!last_ || left < users_left_ || left == 0)
      last_progress_ = now;
    users_left_ = left;
    last_ = std::move(st);
  }

  void sample(clock_type::time_point now) {
    auto interval = sampler_.sample(now - started_);
    if (opts_.on_sample)
      opts_.on_sample(interval);
  }

  runtime& rt_;
  const execute_options& opts_;
  metrics::sampler sampler_;
  clock_type::time_point started_ = clock_type::now();
  clock_type::time_point next_sample_ = clock_type::time_point::max();
  bool stop_requested_ = false;
  std::optional<status> last_;  // the node's last answer (set once started)
  std::uint64_t users_left_ = 0;
  clock_type::time_point last_progress_ = clock_type::now();
};

// The scenario's run-level hooks, asked by the master: should_continue()
// every `scenario_checking_interval`, next_user_batch() for the run file's
// batches every `add_batch_interval`. On an instance of its own, without init().
class scenario_hooks {
public:
  static caf::expected<std::unique_ptr<scenario_hooks>> make(runtime& rt, const run_file& run) {
    const auto* info = find_scenario(run.scenario);
    if (!info)
      return make_error(ec::unknown_scenario, run.scenario);
    auto hooks = std::make_unique<scenario_hooks>();
    try {
      hooks->instance_ = info->make();
      detail::scenario_access::bind(*hooks->instance_, rt.settings(), hooks->metrics_);
      hooks->check_every_ = rt.settings().get<duration>(
        "scenario_checking_interval", duration{defaults::settings::scenario_checking_interval});
      hooks->batch_every_ = rt.settings().get<duration>(
        "add_batch_interval", duration{defaults::settings::add_batch_interval});
    } catch (const std::exception& e) {
      return make_error(ec::invalid_config, e.what());
    }
    const auto now = clock_type::now();
    hooks->next_check_ = now + hooks->check_every_;
    hooks->next_batch_ = now + hooks->batch_every_;
    hooks->batches_left_ = run.batches;
    hooks->previous_ = run.last_id - run.first_id + 1;
    return hooks;
  }

  /// True once, when the run should stop.
  bool poll(runtime& rt, clock_type::time_point now) {
    if (stopped_)
      return false;
    try {
      if (now >= next_check_) {
        next_check_ = now + check_every_;
        if (!instance_->should_continue())
          return stop("the scenario's should_continue() said no");
      }
      if (batches_left_ > 0 && now >= next_batch_) {
        next_batch_ = now + batch_every_;
        --batches_left_;
        previous_ = instance_->next_user_batch(++batch_, previous_);
        if (previous_ == 0)
          batches_left_ = 0;
        else if (auto err = rt.add(previous_))
          log::line(log::level::warning, "batch ") << batch_ << ": " << render(err);
      }
    } catch (const std::exception& e) {
      return stop(std::string{"a scenario hook failed: "} + e.what());
    }
    return false;
  }

private:
  bool stop(const std::string& why) {
    stopped_ = true;
    log::line(log::level::info, "stopping the run: ") << why;
    return true;
  }

  metrics::registry metrics_;  // the hooks record nothing the run reports
  std::unique_ptr<scenario> instance_;
  duration check_every_{};
  duration batch_every_{};
  clock_type::time_point next_check_{};
  clock_type::time_point next_batch_{};
  std::uint64_t batches_left_ = 0;
  std::uint64_t batch_ = 0;
  std::uint64_t previous_ = 0;
  bool stopped_ = false;
};

// Node names in the order that continues the round-robin by id over adds:
// the master starts every batch at the first node it is given, so a batch
// whose first id is `next` gets the list rotated by (next - first) % nodes.
std::vector<std::string> rotation(runtime& rt, std::uint64_t first, std::uint64_t next) {
  std::vector<std::string> names;
  if (!rt.distributed())
    return names;
  if (auto st = rt.status())
    for (const auto& n : st->nodes)
      if (n.up)
        names.push_back(n.name);
  if (!names.empty())
    std::rotate(names.begin(),
                names.begin() + static_cast<std::ptrdiff_t>((next - first) % names.size()),
                names.end());
  return names;
}

// Follows the run file's stages after the first step (which started the run),
// until the plan ends, the run ends, `deadline` passes or an interrupt.
caf::expected<status> follow_stages(runtime& rt, const run_file& run, watcher& w,
                                    std::optional<clock_type::time_point> deadline) {
  const auto steps = run.stages.steps();
  const auto t0 = clock_type::now();
  auto next_id = run.first_id + static_cast<std::uint64_t>(steps.front().delta);
  for (std::size_t i = 1; i < steps.size(); ++i) {
    auto at = t0 + steps[i].at;
    auto st = w.watch(deadline ? std::min(at, *deadline) : at, 1);
    if (!st || is_final(*st) || w.interrupted(1) || w.stop_requested()
        || (deadline && clock_type::now() >= *deadline))
      return st;
    const auto n = static_cast<std::uint64_t>(std::abs(steps[i].delta));
    caf::error err;
    if (steps[i].delta > 0) {
      err = rt.add(n, rotation(rt, run.first_id, next_id));
      next_id += n;
    } else if (auto removed = rt.remove(n, false); !removed) {
      err = removed.error();
    }
    if (err)
      log::line(log::level::warning, "stage step at ")
        << to_string(steps[i].at) << ": " << render(err);
  }
  return w.watch(deadline, 1);
}

}  // namespace

caf::expected<run_result> execute(runtime& rt, const run_file& run, const execute_options& opts) {
  apply_settings(rt.settings(), run);
  // Worker nodes get a moment to answer; the run then goes on those that are up.
  if (rt.distributed())
    if (auto st =
          rt.await_nodes(rt.settings().get<duration>("node_wait", defaults::dist::node_wait));
        !st)
      return st.error();
  watcher w{rt, opts};
  auto hooks = scenario_hooks::make(rt, run);
  if (!hooks)
    return hooks.error();
  // With stages, the run starts with the plan's first step.
  const auto last_id =
    run.stages.empty()
      ? run.last_id
      : run.first_id + static_cast<std::uint64_t>(run.stages.steps().front().delta) - 1;
  if (auto err = rt.start(run.scenario, run.first_id, last_id, {{}, run.comment}))
    return err;
  w.started();
  w.on_poll = [&rt, &hooks](clock_type::time_point now) { return (*hooks)->poll(rt, now); };
  run_result result;
  result.started_at = std::chrono::system_clock::now();
  if (opts.on_event)
    opts.on_event("start");
  std::optional<clock_type::time_point> deadline;
  if (run.max_duration)
    deadline = clock_type::now() + *run.max_duration;
  // A plan that ends with users left ends the run then, like a duration.
  if (!run.stages.empty() && run.stages.stages.back().ramp_to != std::optional<std::uint64_t>{0}) {
    const auto plan_end = clock_type::now() + run.stages.total();
    deadline = deadline ? std::min(*deadline, plan_end) : plan_end;
  }
  auto st = run.stages.empty() ? w.watch(deadline, 1) : follow_stages(rt, run, w, deadline);
  if (st && !is_final(*st)) {
    result.interrupted = w.interrupted(1);
    result.stopped_by_scenario = !result.interrupted && w.stop_requested();
    result.stopped_by_duration = !result.interrupted && !result.stopped_by_scenario;
    // A run that ended on its own meanwhile refuses the stop; watch() sees it.
    (void)rt.stop(false, answer_wait);
    st = w.watch(clock_type::now() + run.graceful_stop_timeout, 2);
  }
  if (st && !is_final(*st)) {
    result.forced = true;
    (void)rt.stop(true, answer_wait);
    w.restart_stall_clock();
    // Users that go on without yielding cannot be killed: once none has ended
    // for a while (or at a third interrupt), the run ends without them.
    st = w.watch(std::nullopt, 3, stop_stall_limit);
  }
  if (!st)
    return st.error();
  result.final_status = *st;
  if (!is_final(*st))
    result.book_users_that_did_not_stop();
  result.wall_time = w.elapsed();
  w.finish();
  if (opts.on_event)
    opts.on_event("stop");
  result.metrics = w.metrics().totals();
  result.series = w.metrics().series();
  result.metrics_interval = opts.metrics_interval;
  for (const auto& t : run.thresholds)
    result.thresholds.push_back(evaluate(t, result.metrics, result.series, result.wall_time));
  return result;
}

caf::expected<run_result> execute(runtime& rt, const run_file& run,
                                  const progress_callback& progress, duration interval,
                                  const std::atomic<int>* interrupts) {
  execute_options opts;
  opts.progress = progress;
  opts.progress_interval = interval;
  opts.interrupts = interrupts;
  return execute(rt, run, opts);
}
}  // namespace amoc

#include "executor.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "amoc/actors.hpp"
#include "amoc/error.hpp"
#include "amoc/log.hpp"

namespace amoc {

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

// Between two polls of the node (interrupts, stages, deadlines are seen then).
constexpr auto poll_every = 100ms;
// The longest the executor waits for one answer: a node whose threads a
// scenario holds cannot answer, and the run must go on without it.
const caf::timespan answer_wait{1s};

// A command whose failure is worth a warning, not the end of the run.
template <class Reply, class Handle, class... Ts>
void tell(caf::event_based_actor* self, const Handle& dest, Ts&&... xs) {
  self->request(dest, answer_wait, std::forward<Ts>(xs)...)
    .then([](Reply) {},
          [](caf::error& err) { log::line(log::level::warning, "run: ") << render(err); });
}

// The controller's commands as asynchronous requests.
class controller_commands final : public run_commands {
public:
  controller_commands(caf::event_based_actor* self, const executor_setup& setup)
      : self_(self), setup_(setup) {}

  void stop(bool force) override {
    // A run that ended meanwhile refuses the stop: nothing to report.
    self_->request(setup_.controller, answer_wait, atom::stop_v, force)
      .then([](caf::ok_atom) {}, [](caf::error&) {});
  }
  void add(std::uint64_t n, std::vector<std::string> nodes) override {
    if (setup_.distributed)
      tell<caf::ok_atom>(self_, setup_.cluster, atom::add_v, n, std::move(nodes));
    else
      tell<caf::ok_atom>(self_, setup_.controller, atom::add_v, n);
  }
  void remove(std::uint64_t n) override {
    if (setup_.distributed)
      tell<std::uint64_t>(self_, setup_.cluster, atom::remove_v, n, false,
                          std::vector<std::string>{});
    else
      tell<std::uint64_t>(self_, setup_.controller, atom::remove_v, n, false);
  }

private:
  caf::event_based_actor* self_;
  const executor_setup& setup_;
};

struct executor_state {
  executor_setup setup;
  duration series_interval{};
  clock_type::time_point next_sample{};
  clock_type::time_point next_report{};
  metrics::snapshot last_nodes;  // a master's last merged view of its nodes
  metrics::snapshot exported;    // the totals at the last export (on_sample)
  duration last_export{};
  std::uint64_t samples = 0;  // after the one at t = 0
  std::uint64_t samples_per_export = 1;
  bool concluding = false;

  static inline const char* name = "amoc.executor";
};

using executor_actor = caf::stateful_actor<executor_state>;

duration elapsed(const executor_state& st, clock_type::time_point now) {
  return now - st.setup.follower->started();
}

// One sample into the run's series; exports (Graphite) get an interval every
// `metrics_interval` and at the end, the series is finer for short runs.
void take_sample(executor_state& st, metrics::snapshot now_totals, clock_type::time_point now) {
  const bool first = st.samples++ == 0;
  // The first sample is the run's start: the series begins at t = 0.
  const auto at = first ? duration{0} : elapsed(st, now);
  const bool exports = st.setup.options.on_sample && !first
                       && (st.concluding || (st.samples - 1) % st.samples_per_export == 0);
  const auto& run = st.setup.record->run();
  std::optional<metrics::snapshot> export_totals;
  st.setup.record->update([&](run_result& result, metrics::sampler& sampler) {
    sampler.sample(at, std::move(now_totals));
    result.thresholds.clear();
    for (const auto& t : run.thresholds)
      result.thresholds.push_back(evaluate(t, sampler.totals(), sampler.series(), at));
    if (exports)
      export_totals = sampler.totals();
  });
  if (!export_totals)
    return;
  const auto delta = export_totals->since(st.exported);
  st.setup.options.on_sample({at, at - st.last_export, *export_totals, delta});
  st.exported = std::move(*export_totals);
  st.last_export = at;
}

// Samples now: a local node's registry directly, a master's nodes by asking.
template <class Then>
void sample(executor_actor* self, Then then) {
  auto& st = self->state;
  if (!st.setup.distributed) {
    take_sample(st, st.setup.registry->snapshot(), clock_type::now());
    then();
    return;
  }
  self->request(st.setup.cluster, answer_wait, atom::metrics_v)
    .then(
      [self, then](metrics::snapshot& nodes) {
        self->state.last_nodes = std::move(nodes);
        take_sample(self->state, self->state.last_nodes, clock_type::now());
        then();
      },
      [self, then](caf::error&) {
        // If the master cannot collect right now, its last view stands.
        take_sample(self->state, self->state.last_nodes, clock_type::now());
        then();
      });
}

void publish_status(executor_state& st) {
  const auto& f = *st.setup.follower;
  st.setup.record->update([&](run_result& result, metrics::sampler& sampler) {
    result.final_status = f.last();
    result.stopped_by_duration = f.stopped_by_duration;
    result.stopped_by_scenario = f.stopped_by_scenario;
    result.interrupted = f.interrupted;
    result.forced = f.forced;
    result.wall_time = clock_type::now() - f.started();
    // Peaks between samples: the number of users does not depend on the interval.
    sampler.note_gauge("users.running", static_cast<std::int64_t>(f.last().users.running));
  });
}

void report_progress(executor_state& st, clock_type::time_point now, bool final) {
  if (!st.setup.options.progress || (!final && now < st.next_report))
    return;
  st.setup.options.progress(st.setup.follower->last(), elapsed(st, now));
  st.next_report = now + st.setup.options.progress_interval;
}

// The end: a last sample, users that did not stop booked, thresholds on the
// final values, then whoever waits is told.
void conclude(executor_actor* self) {
  auto& st = self->state;
  if (st.concluding)
    return;
  st.concluding = true;
  sample(self, [self] {
    auto& st = self->state;
    publish_status(st);
    st.setup.record->update([](run_result& result, metrics::sampler&) {
      if (!is_final(result.final_status.state))
        result.book_users_that_did_not_stop();
    });
    report_progress(st, clock_type::now(), true);
    if (st.setup.options.on_event)
      st.setup.options.on_event("stop");
    st.setup.record->finish();
    self->quit();
  });
}

void poll(executor_actor* self) {
  self->request(self->state.setup.controller, answer_wait, atom::status_v)
    .then([self](status& answer) { self->send(self, atom::step_v, std::move(answer)); },
          [self](caf::error&) { self->send(self, atom::step_v); });
}

void step(executor_actor* self, std::optional<status> answer) {
  auto& st = self->state;
  const auto now = clock_type::now();
  controller_commands commands{self, st.setup};
  st.setup.follower->step(std::move(answer), st.setup.record->interrupts(), now, commands);
  publish_status(st);
  if (st.setup.follower->current() == run_follower::phase::ended) {
    conclude(self);
    return;
  }
  report_progress(st, now, false);
  self->delayed_send(self, std::min<duration>(poll_every, st.setup.options.progress_interval),
                     atom::tick_v);
}

caf::behavior executor(executor_actor* self, executor_setup setup) {
  auto& st = self->state;
  st.setup = std::move(setup);
  st.series_interval = st.setup.record->result().metrics_interval;
  st.samples_per_export = static_cast<std::uint64_t>(std::max<std::int64_t>(
    1, std::llround(static_cast<double>(st.setup.options.metrics_interval.count())
                    / static_cast<double>(st.series_interval.count()))));
  st.next_report = clock_type::now();
  // Whatever ends the executor (the runtime going away), waiters are told.
  self->attach_functor([record = st.setup.record] { record->finish(); });
  // The series starts at t = 0.
  sample(self, [] {});
  st.next_sample = st.setup.follower->started() + st.series_interval;
  self->delayed_send(self, st.series_interval, atom::metrics_v);
  self->send(self, atom::tick_v);
  return {
    [self](atom::tick) { poll(self); },
    [self](atom::step, status& answer) { step(self, std::move(answer)); },
    [self](atom::step) { step(self, std::nullopt); },
    [self](atom::metrics) {
      auto& st = self->state;
      if (st.concluding)
        return;
      sample(self, [] {});
      st.next_sample += st.series_interval;
      const auto now = clock_type::now();
      self->delayed_send(self, st.next_sample > now ? st.next_sample - now : duration{0},
                         atom::metrics_v);
    },
  };
}

}  // namespace

caf::actor spawn_executor(caf::actor_system& sys, executor_setup setup) {
  return sys.spawn<caf::detached>(executor, std::move(setup));
}

}  // namespace amoc

#include <algorithm>
#include <chrono>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/runtime.hpp"
#include "amoc/users_file.hpp"
#include "executor.hpp"
#include "run_follower.hpp"
#include "runtime_impl.hpp"
#include "scenario_hooks.hpp"

namespace amoc {

namespace {

// The series is at least this fine, so that a short run still has a chart
// and peaks; a long one coarsens itself (metrics::time_series keeps at most
// `max_points`), exports keep `metrics_interval`.
duration series_interval(const execute_options& opts) {
  return std::min(opts.metrics_interval, duration{defaults::metrics::series_interval});
}

// A staged run adds users as it goes: its users file must have rows for the
// plan's last id before the first user starts, not only for the first step's.
caf::error check_plan_users(const config::store& store, const run_file& run,
                            std::uint64_t start_last_id) {
  const auto path = store.get<std::string>("users_file", "");
  if (path.empty() || run.last_id <= start_last_id)
    return {};
  return users::check_file(path, run.first_id, run.last_id);
}

}  // namespace

caf::expected<std::shared_ptr<execution>> runtime::launch(const run_file& run,
                                                          execute_options options) {
  std::lock_guard guard{impl_->launch_mutex};
  apply_settings(settings(), run);
  // Worker nodes get a moment to answer; the run then goes on those that are up.
  if (distributed())
    if (auto st = await_nodes(settings().get<duration>("node_wait", defaults::dist::node_wait));
        !st)
      return st.error();
  auto hooks = scenario_hooks::make(settings(), run, std::chrono::steady_clock::now());
  if (!hooks)
    return hooks.error();
  // With stages, the run starts with the plan's first step.
  const auto last_id =
    run.stages.empty()
      ? run.last_id
      : run.first_id + static_cast<std::uint64_t>(run.stages.steps().front().delta) - 1;
  if (auto err = check_plan_users(settings(), run, last_id))
    return err;
  if (auto err = start(run.scenario, run.first_id, last_id, {run.on_nodes, run.comment}))
    return err;
  auto record = std::make_shared<execution>(run, series_interval(options), options.interrupts);
  if (options.on_event)
    options.on_event("start");
  executor_setup setup;
  setup.controller = impl_->controller;
  setup.cluster = impl_->cluster;
  setup.distributed = impl_->distributed;
  setup.registry = &impl_->metrics;
  setup.record = record;
  setup.follower = std::make_shared<run_follower>(run, std::move(*hooks), impl_->distributed,
                                                  std::chrono::steady_clock::now());
  setup.options = std::move(options);
  std::lock_guard record_guard{impl_->record_mutex};
  if (impl_->executor)
    caf::anon_send_exit(impl_->executor, caf::exit_reason::user_shutdown);
  impl_->executor = spawn_executor(impl_->sys, std::move(setup));
  impl_->last_execution = record;
  return record;
}

std::shared_ptr<execution> runtime::last_execution() const {
  std::lock_guard guard{impl_->record_mutex};
  return impl_->last_execution;
}

}  // namespace amoc

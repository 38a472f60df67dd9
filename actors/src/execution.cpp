#include "amoc/execution.hpp"

#include "amoc/error.hpp"

namespace amoc {

execution::execution(run_file run, duration series_interval, const std::atomic<int>* also_counted)
    : run_(std::move(run)), also_counted_(also_counted) {
  result_.metrics_interval = series_interval;
  result_.started_at = std::chrono::system_clock::now();
  // Until the node first answers, the run is running.
  result_.final_status.state = run_state::running;
  result_.final_status.scenario = run_.scenario;
}

bool execution::done() const {
  std::lock_guard guard{mutex_};
  return done_;
}

run_result execution::snapshot() const {
  auto copy = result_;
  copy.metrics = sampler_.totals();
  copy.series = sampler_.series();
  return copy;
}

run_result execution::result() const {
  std::lock_guard guard{mutex_};
  return snapshot();
}

std::vector<threshold_result> execution::thresholds() const {
  std::lock_guard guard{mutex_};
  return result_.thresholds;
}

caf::expected<run_result> execution::wait(duration timeout) const {
  std::unique_lock lock{mutex_};
  if (!ended_.wait_for(lock, timeout, [this] { return done_; }))
    return make_error(ec::timeout, "the run did not end within " + to_string(timeout));
  return snapshot();
}

run_result execution::wait() const {
  std::unique_lock lock{mutex_};
  ended_.wait(lock, [this] { return done_; });
  return snapshot();
}

void execution::finish() {
  {
    std::lock_guard guard{mutex_};
    done_ = true;
  }
  ended_.notify_all();
}

}  // namespace amoc

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include <caf/expected.hpp>

#include "amoc/config.hpp"
#include "amoc/metrics.hpp"
#include "amoc/run_file.hpp"
#include "amoc/scenario.hpp"

namespace amoc {

/// The scenario's run-level hooks, asked by the executor: should_continue()
/// every `scenario_checking_interval`, next_user_batch() for the run file's
/// batches every `add_batch_interval`. On an instance of its own, without init().
class scenario_hooks {
public:
  using clock_type = std::chrono::steady_clock;

  /// What a poll found due.
  struct due {
    bool stop = false;      ///< the run should stop (said once, logged with why)
    std::uint64_t add = 0;  ///< users of the next batch
  };

  [[nodiscard]] static caf::expected<std::unique_ptr<scenario_hooks>>
  make(config::store& settings, const run_file& run, clock_type::time_point now);

  due poll(clock_type::time_point now);

private:
  due stop(const std::string& why);

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

}  // namespace amoc

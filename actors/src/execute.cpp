#include "amoc/execute.hpp"

#include "amoc/runtime.hpp"

namespace amoc {

caf::expected<run_result> execute(runtime& rt, const run_file& run, const execute_options& opts) {
  auto launched = rt.launch(run, opts);
  if (!launched)
    return launched.error();
  // The caller's interrupts (Ctrl-C) are counted by the run itself
  // (`execute_options::interrupts`): nothing to poll for here.
  return (*launched)->wait();
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

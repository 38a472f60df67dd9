#include "amoc/execute.hpp"

#include <chrono>

#include "amoc/runtime.hpp"

namespace amoc {

caf::expected<run_result> execute(runtime& rt, const run_file& run, const execute_options& opts) {
  auto launched = rt.launch(run, opts);
  if (!launched)
    return launched.error();
  auto& execution = **launched;
  // The caller's interrupts (Ctrl-C) reach the executor through the handle.
  int forwarded = 0;
  for (;;) {
    if (auto result = execution.wait(std::chrono::milliseconds{50}))
      return result;
    for (const int seen = opts.interrupts ? opts.interrupts->load() : 0; forwarded < seen;
         ++forwarded)
      execution.interrupt();
  }
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

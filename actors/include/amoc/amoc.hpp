#pragma once

/// Everything a harness that embeds amoc needs, in one include: scenarios
/// registered in code, a runtime with its own config, a run to completion
/// with progress and the final metrics and status as C++ values.
///
///   class ping : public amoc::scenario { ... };
///
///   int main() {
///     amoc::register_scenario<ping>("ping", "One request per user", {});
///     amoc::config::store store;                           // this harness's config
///     amoc::runtime rt{amoc::runtime::options::local(&store)};
///     amoc::run_file run;
///     run.scenario = "ping";
///     run.last_id = 100;                                   // users 1..100
///     run.settings = {{"interarrival", "0"}};
///     amoc::execute_options opts;
///     opts.progress = [](const amoc::status& st, amoc::duration) { ... };
///     auto result = amoc::execute(rt, run, opts);          // blocks until the run ends
///     if (!result) return 1;                               // render(result.error())
///     result->final_status.users;                          // users by end reason
///     result->metrics.counters;                            // totals of every metric
///   }
///
/// Link `amoc::runtime` (CMake) or `pkg-config --libs amoc`; docs/library.md.

#include "amoc/config.hpp"
#include "amoc/error.hpp"
#include "amoc/metrics.hpp"
#include "amoc/metrics_snapshot.hpp"
#include "amoc/run_file.hpp"
#include "amoc/execute.hpp"
#include "amoc/runtime.hpp"
#include "amoc/scenario.hpp"
#include "amoc/status.hpp"

#pragma once

// Result documents for the output and comparison tests, made the way `amoc
// run --out` makes them: a registry sampled into a series, thresholds
// evaluated, `to_json`.

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "amoc/metrics.hpp"
#include "amoc/metrics_series.hpp"
#include "amoc/result_json.hpp"
#include "amoc/run_file.hpp"
#include "amoc/run_result.hpp"
#include "amoc/thresholds.hpp"

namespace amoc::test {

/// A small run: `seconds` intervals of 1 s, `users` users running, each
/// sending `per_user` messages a second delivered in `ttd_ms` (every sample
/// the same), `connect_failures` in the second interval.
struct run_shape {
  std::string scenario = "xmpp_chat";
  int seconds = 5;
  std::int64_t users = 10;
  std::uint64_t per_user = 4;
  double ttd_ms = 2.0;
  std::uint64_t connect_failures = 0;
  std::vector<std::pair<std::string, std::string>> thresholds;  ///< (metric, expression)
};

inline nlohmann::json result_doc(const run_shape& shape) {
  using namespace std::chrono;
  metrics::registry reg;
  metrics::sampler sampler{reg};
  reg.counter("users.started").add(static_cast<std::uint64_t>(shape.users));
  for (int s = 1; s <= shape.seconds; ++s) {
    reg.gauge("users.running").set(s == shape.seconds ? 0 : shape.users);
    const auto messages = static_cast<std::uint64_t>(shape.users) * shape.per_user;
    reg.counter("xmpp.messages_sent").add(messages);
    for (std::uint64_t m = 0; m < messages; ++m)
      reg.histogram("xmpp.ttd")
        .record(microseconds{static_cast<std::int64_t>(shape.ttd_ms * 1000)});
    if (s == 2 && shape.connect_failures > 0)
      reg.counter("xmpp.failures.connect").add(shape.connect_failures);
    sampler.sample(seconds{s});
  }
  run_file run;
  run.scenario = shape.scenario;
  run.first_id = 1;
  run.last_id = static_cast<std::uint64_t>(shape.users);
  run_result result;
  result.final_status.state = run_state::finished;
  result.final_status.next_id = static_cast<std::uint64_t>(shape.users) + 1;
  result.final_status.users.started = static_cast<std::uint64_t>(shape.users);
  result.final_status.users.ended.normal = static_cast<std::uint64_t>(shape.users);
  result.wall_time = seconds{shape.seconds};
  result.started_at = system_clock::time_point{seconds{1'795'000'000}};
  result.metrics = sampler.totals();
  result.series = sampler.series();
  result.metrics_interval = seconds{1};
  for (const auto& [metric, expression] : shape.thresholds) {
    auto t = parse_threshold(metric, expression);
    if (t)
      result.thresholds.push_back(evaluate(*t, result.metrics, result.series, result.wall_time));
  }
  return to_json(run, result);
}

}  // namespace amoc::test

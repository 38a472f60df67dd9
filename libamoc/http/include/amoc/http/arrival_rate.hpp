#pragma once

/// Open-model load: requests arrive at a planned rate, whatever the server's
/// response times (k6's arrival-rate executors, wrk2's constant throughput).
///
/// `rate_plan` says what load to produce, as a value: a rate ramping linearly
/// from `start_rate` to `rate` over `ramp`, then constant, for `length`. It is
/// node-local: a distributed run gives each node `plan.per_node(n)`.
/// `arrival_schedule` hands the plan's arrival times out to a node's users;
/// each user takes the next one, sleeps until it and sends
/// (`http::client::send_at`). Users are the concurrency limit: when all are
/// busy, arrivals wait for a free user and their corrected latency shows it.
///
///   schedule_ = std::make_unique<http::arrival_schedule>(plan);    // init()
///   while (auto at = schedule_->next())                             // start(u)
///     auto r = co_await client.send_at(req, *at);

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "amoc/config.hpp"

namespace amoc::http {

/// An open-model load: requests started at a rate, independent of responses.
struct rate_plan {
  double rate = 0;        ///< requests per second after the ramp; 0: no open-model load
  double start_rate = 0;  ///< requests per second at the start of the ramp
  duration ramp{};        ///< linear ramp from `start_rate` to `rate`
  duration length{};      ///< no arrivals after it; 0: unlimited

  /// Why the plan cannot run ("" when it can).
  [[nodiscard]] std::string validate() const;
  [[nodiscard]] bool enabled() const noexcept { return rate > 0 || start_rate > 0; }
  /// When arrival `k` (0, 1, ...) is due, from the start; nullopt if it never is.
  [[nodiscard]] std::optional<duration> arrival(std::uint64_t k) const;
  /// Arrivals planned in [0, t): the integral of the rate.
  [[nodiscard]] double arrivals_until(duration t) const;
  /// The share of one of `nodes` nodes dividing the load equally.
  [[nodiscard]] rate_plan per_node(std::uint64_t nodes) const;
};

/// The config variables of a rate plan (http_rate, http_rate_start,
/// http_rate_ramp, http_rate_duration), with defaults and rules.
[[nodiscard]] std::vector<config::variable> rate_variables();

/// Hands out a plan's arrival times to the users of a node (thread-safe,
/// lock-free). The clock starts at the first `next()`.
class arrival_schedule {
public:
  using clock = std::chrono::steady_clock;

  explicit arrival_schedule(rate_plan plan) : plan_(plan) {}

  /// The intended send time of the next arrival; nullopt when the plan is over.
  [[nodiscard]] std::optional<clock::time_point> next();
  /// Arrivals handed out so far.
  [[nodiscard]] std::uint64_t taken() const noexcept {
    return next_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] const rate_plan& plan() const noexcept { return plan_; }

private:
  rate_plan plan_;
  std::atomic<std::uint64_t> next_{0};
  std::atomic<clock::rep> start_{0};  // 0: not started
};

}  // namespace amoc::http

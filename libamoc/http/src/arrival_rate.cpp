#include "amoc/http/arrival_rate.hpp"

#include <cmath>

namespace amoc::http {

namespace {

double seconds(duration d) { return std::chrono::duration<double>(d).count(); }

duration from_seconds(double s) {
  return std::chrono::duration_cast<duration>(std::chrono::duration<double>(s));
}

}  // namespace

std::string rate_plan::validate() const {
  if (!(rate >= 0) || !std::isfinite(rate))
    return "http_rate must be a finite number >= 0";
  if (!(start_rate >= 0) || !std::isfinite(start_rate))
    return "http_rate_start must be a finite number >= 0";
  if (ramp < duration::zero() || length < duration::zero())
    return "http_rate_ramp and http_rate_duration must not be negative";
  return {};
}

double rate_plan::arrivals_until(duration t) const {
  const double s = seconds(t);
  const double r = seconds(ramp);
  if (s <= 0)
    return 0;
  if (s < r)  // the integral of a rate rising (or falling) linearly
    return start_rate * s + (rate - start_rate) * s * s / (2 * r);
  return (start_rate + rate) * r / 2 + rate * (s - r);
}

std::optional<duration> rate_plan::arrival(std::uint64_t k) const {
  if (!enabled())
    return std::nullopt;
  const auto n = static_cast<double>(k);
  const double r = seconds(ramp);
  const double in_ramp = (start_rate + rate) * r / 2;
  double at = 0;
  if (k == 0) {
    at = 0;
  } else if (n < in_ramp) {
    // Solves start_rate*t + a*t^2 = n, a = (rate - start_rate) / 2r, in the form
    // that stays exact when a is (near) zero.
    const double a = (rate - start_rate) / (2 * r);
    at = 2 * n / (start_rate + std::sqrt(start_rate * start_rate + 4 * a * n));
  } else if (rate > 0) {
    at = r + (n - in_ramp) / rate;
  } else {
    return std::nullopt;  // ramped down to zero
  }
  const auto when = from_seconds(at);
  if (length > duration::zero() && when >= length)
    return std::nullopt;
  return when;
}

rate_plan rate_plan::per_node(std::uint64_t nodes) const {
  auto share = *this;
  if (nodes > 1) {
    share.rate /= static_cast<double>(nodes);
    share.start_rate /= static_cast<double>(nodes);
  }
  return share;
}

std::vector<config::variable> rate_variables() {
  using config::type;
  namespace rules = config::rules;
  return {
    {"http_rate", "open model: requests per second across the node's users (0: off)", "0",
     type::number, rules::non_negative()},
    {"http_rate_start", "open model: requests per second at the start of the ramp", "0",
     type::number, rules::non_negative()},
    {"http_rate_ramp", "open model: ramp from http_rate_start to http_rate over this", "0s",
     type::duration, rules::non_negative()},
    {"http_rate_duration", "open model: no requests after this (0s: until stopped)", "0s",
     type::duration, rules::non_negative()},
  };
}

std::optional<arrival_schedule::clock::time_point> arrival_schedule::next() {
  const auto k = next_.fetch_add(1, std::memory_order_relaxed);
  auto start = start_.load(std::memory_order_acquire);
  if (start == 0) {
    // The first caller starts the clock; racing callers adopt its value.
    const auto now = clock::now().time_since_epoch().count();
    start = start_.compare_exchange_strong(start, now, std::memory_order_acq_rel) ? now : start;
  }
  const auto offset = plan_.arrival(k);
  if (!offset)
    return std::nullopt;
  return clock::time_point{clock::duration{start}}
         + std::chrono::duration_cast<clock::duration>(*offset);
}

}  // namespace amoc::http

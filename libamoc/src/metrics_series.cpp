#include "amoc/metrics_series.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

namespace amoc::metrics {

namespace {

std::uint32_t micros32(std::uint64_t us) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(us, hdr_histogram::highest_trackable));
}

std::uint32_t to_ms32(duration d) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return static_cast<std::uint32_t>(
    std::clamp<std::int64_t>(ms, 0, std::numeric_limits<std::uint32_t>::max()));
}

// Appends `value` as point `index` of `l`, starting the line there if new.
template <class T>
void put(time_series::line<T>& l, std::size_t index, T value) {
  if (l.points.empty())
    l.first = index;
  // A metric missing from some intervals (a gauge created later) keeps its place.
  l.points.resize(index - l.first, T{});
  l.points.push_back(value);
}

interval_stats combine(const interval_stats& a, const interval_stats& b) {
  if (a.count == 0)
    return b;
  if (b.count == 0)
    return a;
  interval_stats c;
  c.count = a.count + b.count;
  c.min = std::min(a.min, b.min);
  c.max = std::max(a.max, b.max);
  c.mean = static_cast<std::uint32_t>(
    std::llround((static_cast<double>(a.mean) * static_cast<double>(a.count)
                  + static_cast<double>(b.mean) * static_cast<double>(b.count))
                 / static_cast<double>(c.count)));
  // Percentiles cannot be merged from percentiles: keep the larger, an upper bound.
  c.p50 = std::max(a.p50, b.p50);
  c.p90 = std::max(a.p90, b.p90);
  c.p95 = std::max(a.p95, b.p95);
  c.p99 = std::max(a.p99, b.p99);
  c.p999 = std::max(a.p999, b.p999);
  return c;
}

std::uint64_t combine(std::uint64_t a, std::uint64_t b) { return a + b; }  // counters: deltas add
std::int64_t combine(std::int64_t, std::int64_t later) { return later; }  // gauges: the later value

template <class T>
void halve(time_series::line<T>& l) {
  std::vector<T> out;
  out.reserve(l.points.size() / 2 + 1);
  // Pairs are formed on the run's global index, so all metrics stay aligned.
  for (std::size_t i = 0; i < l.points.size(); ++i) {
    const auto global = l.first + i;
    if (global % 2 == 0 || i == 0)
      out.push_back(l.points[i]);
    else
      out.back() = combine(out.back(), l.points[i]);
  }
  l.first /= 2;
  l.points = std::move(out);
}

}  // namespace

interval_stats interval_stats::of(const hdr_histogram& h) {
  if (h.empty())
    return {};
  const auto p = h.standard_percentiles();
  return {h.count(),
          micros32(p.min),
          micros32(static_cast<std::uint64_t>(std::llround(h.mean()))),
          micros32(p.p50),
          micros32(p.p90),
          micros32(p.p95),
          micros32(p.p99),
          micros32(p.p999),
          micros32(p.max)};
}

double interval::rate(std::uint64_t delta_count) const {
  const double s = std::chrono::duration<double>(length).count();
  return s > 0 ? static_cast<double>(delta_count) / s : 0.0;
}

time_series::time_series(std::size_t max_points)
    : max_points_(std::max<std::size_t>(max_points, 2)) {}

void time_series::append(duration end, const snapshot& delta) {
  if (ends_.size() >= max_points_)
    halve_resolution();
  const auto index = ends_.size();
  ends_.push_back(to_ms32(end));
  for (const auto& [name, value] : delta.counters)
    put(counters_[name], index, value);
  for (const auto& [name, value] : delta.gauges) {
    put(gauges_[name], index, value);
    note_gauge(name, value);
  }
  for (const auto& [name, h] : delta.histograms)
    put(histograms_[name], index, interval_stats::of(h));
}

void time_series::note_gauge(std::string_view name, std::int64_t value) {
  auto it = ranges_.find(name);
  if (it == ranges_.end()) {
    ranges_.emplace(std::string{name}, range{value, value});
    return;
  }
  it->second.low = std::min(it->second.low, value);
  it->second.high = std::max(it->second.high, value);
}

void time_series::halve_resolution() {
  std::vector<std::uint32_t> ends;
  ends.reserve(ends_.size() / 2 + 1);
  for (std::size_t i = 0; i < ends_.size(); ++i) {
    if (i % 2 == 0)
      ends.push_back(ends_[i]);
    else
      ends.back() = ends_[i];
  }
  ends_ = std::move(ends);
  for (auto& [_, l] : counters_)
    halve(l);
  for (auto& [_, l] : gauges_)
    halve(l);
  for (auto& [_, l] : histograms_)
    halve(l);
}

sampler::sampler(const registry& reg, std::size_t max_points)
    : registry_(&reg), series_(max_points) {}

sampler::sampler(std::size_t max_points) : series_(max_points) {}

interval sampler::sample(duration elapsed) {
  return sample(elapsed, registry_ ? registry_->snapshot() : snapshot{});
}

interval sampler::sample(duration elapsed, snapshot now) {
  delta_ = now.since(totals_);
  totals_ = std::move(now);
  const auto length = elapsed - last_;
  last_ = elapsed;
  series_.append(elapsed, delta_);
  return {elapsed, length, totals_, delta_};
}

}  // namespace amoc::metrics

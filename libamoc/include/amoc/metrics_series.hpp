#pragma once

/// A run's metrics over time: one point per sampling interval (10 s by
/// default), stored compactly so a day-long run stays small: 8 bytes per
/// counter or gauge point, 40 per histogram point (8,640 points a day at
/// 10 s: ~350 KB per histogram). Past `max_points` neighbouring points merge
/// in pairs and the resolution halves, so memory stays bounded however long
/// the run.
///
///   metrics::sampler s{registry};
///   every 10 s:  auto& i = s.sample(elapsed);   // i.delta: what happened in the interval
///   at the end:  s.series(), s.totals()

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "amoc/config.hpp"
#include "amoc/defaults.hpp"
#include "amoc/metrics.hpp"
#include "amoc/metrics_snapshot.hpp"

namespace amoc::metrics {

/// A histogram's interval in a few numbers (µs; 2^32 µs is the histogram's range).
struct interval_stats {
  std::uint64_t count = 0;
  std::uint32_t min = 0, mean = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, p999 = 0, max = 0;

  [[nodiscard]] static interval_stats of(const hdr_histogram& h);
  friend bool operator==(const interval_stats&, const interval_stats&) = default;
};

/// One sampling interval: when it ended, how long it was, and its values.
struct interval {
  duration end;            ///< since the run started
  duration length;         ///< since the previous sample
  const snapshot& totals;  ///< everything since the run started
  const snapshot& delta;   ///< counters and histograms of this interval, gauges now

  /// A counter's rate over this interval, per second.
  [[nodiscard]] double rate(std::uint64_t delta_count) const;
};

/// Every metric's value per interval of a run, for reports and thresholds.
class time_series {
public:
  /// A metric's points from its first appearance on: point i of the series is
  /// point `first + i` of the run.
  template <class T>
  struct line {
    std::size_t first = 0;
    std::vector<T> points;
  };

  explicit time_series(std::size_t max_points = defaults::metrics::max_points);

  /// Adds one interval. Counters store their interval delta, gauges their
  /// value, histograms the stats of their interval.
  void append(duration end, const snapshot& delta);

  /// Number of points.
  [[nodiscard]] std::size_t size() const noexcept { return ends_.size(); }
  /// When each interval ended, in ms since the run started.
  [[nodiscard]] const std::vector<std::uint32_t>& ends_ms() const noexcept { return ends_; }
  [[nodiscard]] const std::map<std::string, line<std::uint64_t>, std::less<>>&
  counters() const noexcept {
    return counters_;
  }
  [[nodiscard]] const std::map<std::string, line<std::int64_t>, std::less<>>&
  gauges() const noexcept {
    return gauges_;
  }
  [[nodiscard]] const std::map<std::string, line<interval_stats>, std::less<>>&
  histograms() const noexcept {
    return histograms_;
  }

  /// A gauge's lowest and highest value seen, also between samples: peaks
  /// do not depend on the sampling interval.
  struct range {
    std::int64_t low = 0;
    std::int64_t high = 0;
  };
  /// Widens a gauge's range with a value seen between samples.
  void note_gauge(std::string_view name, std::int64_t value);
  [[nodiscard]] const std::map<std::string, range, std::less<>>& gauge_ranges() const noexcept {
    return ranges_;
  }

private:
  void halve_resolution();

  std::size_t max_points_;
  std::vector<std::uint32_t> ends_;
  std::map<std::string, line<std::uint64_t>, std::less<>> counters_;
  std::map<std::string, line<std::int64_t>, std::less<>> gauges_;
  std::map<std::string, line<interval_stats>, std::less<>> histograms_;
  std::map<std::string, range, std::less<>> ranges_;
};

/// Samples a registry into a time series; the caller's clock drives it (the
/// first interval starts at 0, when the registry was last reset).
class sampler {
public:
  explicit sampler(const registry& reg, std::size_t max_points = defaults::metrics::max_points);
  /// A sampler its caller feeds with snapshots (`sample(elapsed, now)`): the
  /// run executor, with a local registry's or a master's merged view.
  explicit sampler(std::size_t max_points = defaults::metrics::max_points);

  /// Takes a snapshot of the registry `elapsed` after the run started and
  /// appends the interval since the previous one (a registry's sampler only).
  interval sample(duration elapsed);
  /// The same with a snapshot taken by the caller (a master's nodes answer
  /// asynchronously).
  interval sample(duration elapsed, snapshot now);
  /// Widens a gauge's range with a value seen between samples.
  void note_gauge(std::string_view name, std::int64_t value) { series_.note_gauge(name, value); }

  [[nodiscard]] const snapshot& totals() const noexcept { return totals_; }
  [[nodiscard]] const time_series& series() const noexcept { return series_; }
  /// When the last sample was taken (0 before the first).
  [[nodiscard]] duration last() const noexcept { return last_; }

private:
  const registry* registry_ = nullptr;
  time_series series_;
  snapshot totals_;
  snapshot delta_;
  duration last_{};
};

}  // namespace amoc::metrics

#pragma once

/// A High Dynamic Range histogram of microsecond values, as a plain value:
/// what a snapshot of a live `metrics::histogram` is, what nodes send to the
/// master, and what reports read. 3 significant digits from 1 µs to 2^32 µs
/// (71 minutes); any two histograms merge exactly (never average percentiles).
/// The layout is HdrHistogram's (Gil Tene), so percentiles agree with it.

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace amoc::metrics {

/// Counts of microsecond values in HdrHistogram's buckets; merges exactly.
class hdr_histogram {
public:
  /// Values above this are recorded as this.
  static constexpr std::uint64_t highest_trackable = (std::uint64_t{1} << 32) - 1;
  /// 2 x 10^3 rounded up to a power of two: 3 significant digits.
  static constexpr int sub_bucket_bits = 11;
  static constexpr std::size_t sub_bucket_count = std::size_t{1} << sub_bucket_bits;
  static constexpr std::size_t sub_bucket_half = sub_bucket_count / 2;
  static constexpr std::size_t bucket_count = 22;
  /// Number of counters: (buckets + 1) x half a bucket.
  static constexpr std::size_t counts_size = (bucket_count + 1) * sub_bucket_half;

  /// The counter a value falls into (values above the range clamp to the last).
  [[nodiscard]] static std::size_t index_of(std::uint64_t value) noexcept;
  /// The smallest value counted at `index`.
  [[nodiscard]] static std::uint64_t lowest_at(std::size_t index) noexcept;
  /// The largest value counted at `index`.
  [[nodiscard]] static std::uint64_t highest_at(std::size_t index) noexcept;

  /// An empty histogram (allocates nothing until the first sample).
  hdr_histogram() = default;

  /// Records `count` samples of `value` µs.
  void record(std::uint64_t value, std::uint64_t count = 1);
  /// Adds the first `n` counters of a full array (`counts_size` at most; the
  /// rest are zero) and their sum.
  void add_counts(const std::uint64_t* counts, std::size_t n, std::uint64_t sum);
  /// Adds every sample of `other`.
  void merge(const hdr_histogram& other);
  /// Removes the samples of `earlier`, a previous snapshot of the same
  /// recorder: what was recorded in between.
  void subtract(const hdr_histogram& earlier);

  [[nodiscard]] std::uint64_t count() const noexcept { return total_; }
  [[nodiscard]] bool empty() const noexcept { return total_ == 0; }
  /// Exact sum of the recorded values (µs), for the mean.
  [[nodiscard]] std::uint64_t sum() const noexcept { return sum_; }
  [[nodiscard]] double mean() const noexcept;
  /// 0 when empty; otherwise to 3 significant digits.
  [[nodiscard]] std::uint64_t min() const noexcept;
  [[nodiscard]] std::uint64_t max() const noexcept;
  /// The value at or below which `percentile` % of the samples fall (0 when empty).
  [[nodiscard]] std::uint64_t value_at(double percentile) const noexcept;

  /// What summaries, series and result documents show, all zero when empty.
  struct percentiles {
    std::uint64_t min, p50, p90, p95, p99, p999, max;
  };
  /// `min()`, `value_at` 50, 90, 95, 99 and 99.9, and `max()` in one walk of
  /// the counters, not seven (a run's series takes them every second).
  [[nodiscard]] percentiles standard_percentiles() const noexcept;

  /// The non-zero counters as (index, count) pairs, in value order: the
  /// compact form for the network and for bucketed exports.
  [[nodiscard]] std::vector<std::pair<std::uint32_t, std::uint64_t>> nonzero() const;
  /// Rebuilds a histogram from `nonzero()` and `sum()`; false if an index is out of range.
  [[nodiscard]] static bool
  from_nonzero(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& cells, std::uint64_t sum,
               hdr_histogram& out);

  /// Equal counts (however many trailing zero counters each one holds), total and sum.
  friend bool operator==(const hdr_histogram& a, const hdr_histogram& b) noexcept;

private:
  // The counters up to the highest one used so far; those past the end are
  // zero. Latencies cluster, so a snapshot, a merge or a percentile walks a
  // few hundred counters instead of all `counts_size` (184 KB).
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::uint64_t sum_ = 0;
};

}  // namespace amoc::metrics

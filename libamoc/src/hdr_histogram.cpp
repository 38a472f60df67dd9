#include "amoc/hdr_histogram.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

namespace amoc::metrics {

namespace {

constexpr int half_bits = hdr_histogram::sub_bucket_bits - 1;
constexpr std::uint64_t sub_bucket_mask = hdr_histogram::sub_bucket_count - 1;

// Bucket b holds values with b+11 significant bits; its sub-buckets are
// 2^b wide. Bucket 0 uses all of its sub-buckets, the others only their
// upper half (the lower half is bucket b-1's range).
int bucket_of(std::uint64_t v) noexcept {
  return 63 - half_bits - std::countl_zero(v | sub_bucket_mask);
}

}  // namespace

std::size_t hdr_histogram::index_of(std::uint64_t value) noexcept {
  value = std::min(value, highest_trackable);
  const int b = bucket_of(value);
  const auto sub = value >> b;
  return (static_cast<std::size_t>(b + 1) << half_bits) + sub - sub_bucket_half;
}

std::uint64_t hdr_histogram::lowest_at(std::size_t index) noexcept {
  int b = static_cast<int>(index >> half_bits) - 1;
  auto sub = (index & (sub_bucket_half - 1)) + sub_bucket_half;
  if (b < 0) {
    sub -= sub_bucket_half;
    b = 0;
  }
  return static_cast<std::uint64_t>(sub) << b;
}

std::uint64_t hdr_histogram::highest_at(std::size_t index) noexcept {
  const auto low = lowest_at(index);
  return low + (std::uint64_t{1} << bucket_of(low)) - 1;
}

void hdr_histogram::record(std::uint64_t value, std::uint64_t count) {
  const auto i = index_of(value);
  if (i >= counts_.size())
    counts_.resize(i + 1);
  counts_[i] += count;
  total_ += count;
  sum_ += std::min(value, highest_trackable) * count;
}

void hdr_histogram::add_counts(const std::uint64_t* counts, std::size_t n, std::uint64_t sum) {
  n = std::min(n, counts_size);
  if (counts_.size() < n)
    counts_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    counts_[i] += counts[i];
    total_ += counts[i];
  }
  sum_ += sum;
}

void hdr_histogram::merge(const hdr_histogram& other) {
  if (!other.counts_.empty())
    add_counts(other.counts_.data(), other.counts_.size(), other.sum_);
}

void hdr_histogram::subtract(const hdr_histogram& earlier) {
  if (earlier.counts_.empty())
    return;
  const auto n = std::min(counts_.size(), earlier.counts_.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto d = std::min(counts_[i], earlier.counts_[i]);
    counts_[i] -= d;
    total_ -= d;
  }
  sum_ -= std::min(sum_, earlier.sum_);
}

bool operator==(const hdr_histogram& a, const hdr_histogram& b) noexcept {
  if (a.total_ != b.total_ || a.sum_ != b.sum_)
    return false;
  const auto& longer = a.counts_.size() >= b.counts_.size() ? a.counts_ : b.counts_;
  const auto& shorter = a.counts_.size() >= b.counts_.size() ? b.counts_ : a.counts_;
  return std::equal(shorter.begin(), shorter.end(), longer.begin())
         && std::all_of(longer.begin() + static_cast<std::ptrdiff_t>(shorter.size()), longer.end(),
                        [](std::uint64_t c) { return c == 0; });
}

double hdr_histogram::mean() const noexcept {
  return total_ ? static_cast<double>(sum_) / static_cast<double>(total_) : 0.0;
}

std::uint64_t hdr_histogram::min() const noexcept {
  for (std::size_t i = 0; i < counts_.size(); ++i)
    if (counts_[i])
      return lowest_at(i);
  return 0;
}

std::uint64_t hdr_histogram::max() const noexcept {
  for (auto i = counts_.size(); i-- > 0;)
    if (counts_[i])
      return highest_at(i);
  return 0;
}

namespace {

// How many samples lie at or below the value at `percentile` of `total`.
std::uint64_t rank_of(double percentile, std::uint64_t total) noexcept {
  const double p = std::clamp(percentile, 0.0, 100.0);
  return std::max<std::uint64_t>(
    1, static_cast<std::uint64_t>(std::ceil(p / 100.0 * static_cast<double>(total))));
}

}  // namespace

std::uint64_t hdr_histogram::value_at(double percentile) const noexcept {
  if (total_ == 0)
    return 0;
  const auto wanted = rank_of(percentile, total_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= wanted)
      return highest_at(i);
  }
  return max();
}

hdr_histogram::percentiles hdr_histogram::standard_percentiles() const noexcept {
  percentiles out{};
  if (total_ == 0)
    return out;
  const std::array<std::uint64_t*, 5> slots{&out.p50, &out.p90, &out.p95, &out.p99, &out.p999};
  const std::array<std::uint64_t, 5> ranks{rank_of(50, total_), rank_of(90, total_),
                                           rank_of(95, total_), rank_of(99, total_),
                                           rank_of(99.9, total_)};
  std::size_t next = 0;
  std::uint64_t seen = 0;
  bool first = true;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0)
      continue;
    if (std::exchange(first, false))
      out.min = lowest_at(i);
    seen += counts_[i];
    out.max = highest_at(i);
    for (; next < ranks.size() && seen >= ranks[next]; ++next)
      *slots[next] = out.max;
  }
  for (; next < ranks.size(); ++next)  // as value_at: the counters fell short of the total
    *slots[next] = out.max;
  return out;
}

std::vector<std::pair<std::uint32_t, std::uint64_t>> hdr_histogram::nonzero() const {
  std::vector<std::pair<std::uint32_t, std::uint64_t>> cells;
  for (std::size_t i = 0; i < counts_.size(); ++i)
    if (counts_[i])
      cells.emplace_back(static_cast<std::uint32_t>(i), counts_[i]);
  return cells;
}

bool hdr_histogram::from_nonzero(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& cells,
                                 std::uint64_t sum, hdr_histogram& out) {
  hdr_histogram h;
  for (auto [index, count] : cells) {
    if (index >= counts_size)
      return false;
    if (h.counts_.size() <= index)
      h.counts_.resize(index + 1);
    h.counts_[index] += count;
    h.total_ += count;
  }
  h.sum_ = sum;
  out = std::move(h);
  return true;
}

}  // namespace amoc::metrics

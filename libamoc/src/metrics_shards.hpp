#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "amoc/hdr_histogram.hpp"
#include "amoc/metrics.hpp"

namespace amoc::metrics::detail {

/// The live side of a `metrics::histogram`: one set of counters per shard,
/// threads spread over the shards, updated with relaxed atomic adds.
class hdr_shards {
public:
  static constexpr std::size_t shard_count = 8;

  hdr_shards();
  ~hdr_shards();
  hdr_shards(const hdr_shards&) = delete;
  hdr_shards& operator=(const hdr_shards&) = delete;

  /// Lock-free; never throws (a sample is dropped if memory runs out).
  void record(std::uint64_t micros) noexcept;
  /// The sum of all shards (concurrent records may or may not be included).
  [[nodiscard]] hdr_histogram snapshot() const;
  /// Zeroes every counter (concurrent records may or may not survive it).
  void reset() noexcept;

private:
  // Plain integers updated through std::atomic_ref: calloc'd memory needs no
  // construction, and untouched pages never become resident.
  struct shard {
    std::uint64_t counts[hdr_histogram::counts_size];
    std::uint64_t sum;
    // Past the highest counter used: a snapshot reads no further.
    std::uint64_t used;
  };

  shard* shard_for_this_thread();

  std::array<std::atomic<shard*>, shard_count> shards_{};
};

}  // namespace amoc::metrics::detail

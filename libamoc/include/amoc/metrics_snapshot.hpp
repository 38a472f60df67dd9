#pragma once

/// The value of a registry at one moment: what the sampler stores, what a
/// node sends to the master, what reports and thresholds read.
///
///   auto now = registry.snapshot();
///   auto last_10s = now.since(previous);          // counters and histograms of the interval
///   run_total.merge(node_b);                      // several nodes: sum and merge, never average

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>

#include <caf/expected.hpp>
#include <nlohmann/json_fwd.hpp>

#include "amoc/hdr_histogram.hpp"

namespace amoc::metrics {

/// Every metric of a registry (or of several nodes merged) at one moment.
struct snapshot {
  std::map<std::string, std::uint64_t, std::less<>> counters;
  std::map<std::string, std::int64_t, std::less<>> gauges;
  std::map<std::string, hdr_histogram, std::less<>> histograms;

  /// Adds `other`, a snapshot of another node at the same moment: counters and
  /// gauges are summed (users running on two nodes add up), histograms merged.
  void merge(const snapshot& other);

  /// What changed since `earlier`, a previous snapshot of the same registry:
  /// counters and histograms of the interval, gauges as they are now. A metric
  /// that went backwards (the registry was reset) counts from zero.
  [[nodiscard]] snapshot since(const snapshot& earlier) const;

  [[nodiscard]] bool empty() const noexcept {
    return counters.empty() && gauges.empty() && histograms.empty();
  }

  friend bool operator==(const snapshot&, const snapshot&) = default;
};

/// The run's view of several nodes' snapshots taken at the same moment.
[[nodiscard]] snapshot merge(std::span<const snapshot> nodes);

/// Lossless JSON (histograms as their non-zero cells), for the wire between
/// nodes: {"counters": {...}, "gauges": {...}, "histograms": {"name":
/// {"sum": µs, "cells": [[index, count], ...]}}}.
[[nodiscard]] nlohmann::json to_json(const snapshot& s);
/// Reads `to_json`'s output back; the error names what is malformed.
[[nodiscard]] caf::expected<snapshot> snapshot_from_json(const nlohmann::json& doc);

}  // namespace amoc::metrics

#pragma once

/// CAF's serialization of metrics snapshots (`amoc/metrics_snapshot.hpp`), so
/// that a node agent's snapshot reaches the master, and the master's merged
/// one the runtime, as a registered message type instead of JSON text.
/// Histograms travel as their non-zero cells and sum (`hdr_histogram::nonzero`);
/// a cell index out of range fails the load, so a peer cannot plant one.

#include <cstdint>
#include <utility>
#include <vector>

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/sec.hpp>

#include "amoc/hdr_histogram.hpp"
#include "amoc/metrics_snapshot.hpp"

namespace amoc::metrics {

/// A histogram on the wire: its non-zero cells and sum; a cell out of range fails the load.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hdr_histogram& x) {
  // Saving reads x's cells; loading fills these and rebuilds x from them.
  auto cells = x.nonzero();
  auto sum = x.sum();
  auto rebuild = [&]() -> caf::error {
    if (!hdr_histogram::from_nonzero(cells, sum, x))
      return caf::make_error(caf::sec::invalid_argument, "histogram cell index out of range");
    return caf::none;
  };
  return f(caf::meta::type_name("amoc::metrics::hdr_histogram"), cells, sum,
           caf::meta::load_callback(rebuild));
}

/// A snapshot on the wire: counters, gauges and histograms by name.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, snapshot& x) {
  return f(caf::meta::type_name("amoc::metrics::snapshot"), x.counters, x.gauges, x.histograms);
}

}  // namespace amoc::metrics

#pragma once

/// What Prometheus sees of a runtime: its merged metrics, and in a
/// distributed run each node's counters (labelled `node`). Read by `amoc
/// run`'s exporter (`prometheus_port`) and the REST gateway's `GET /metrics`.

#include "amoc/prometheus.hpp"

namespace amoc {

class runtime;

/// A scrape of `rt` per call. In a distributed run the nodes' counters come
/// from `rt.status()`; when that fails the last known ones stand, so series
/// do not switch between labelled and unlabelled. `rt` must outlive it;
/// call it from one thread at a time (it keeps those last counters).
[[nodiscard]] metrics::prometheus_exporter::scrape_source prometheus_source(runtime& rt);

}  // namespace amoc

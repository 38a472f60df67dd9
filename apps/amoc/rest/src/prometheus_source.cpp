#include "amoc/prometheus_source.hpp"

#include "amoc/runtime.hpp"

namespace amoc {

metrics::prometheus_exporter::scrape_source prometheus_source(runtime& rt) {
  return [&rt, last = std::vector<metrics::node_counters>{}]() mutable {
    auto merged = rt.metrics_snapshot();
    metrics::prometheus_scrape s{merged ? std::move(*merged) : metrics::snapshot{}, {}};
    if (!rt.distributed())
      return s;
    if (auto st = rt.status()) {
      last.clear();
      for (auto& n : st->nodes)
        if (!n.ids.empty())  // a node outside this run shows its last run's counters
          last.push_back({n.name, std::move(n.counters)});
    }
    s.nodes = last;
    return s;
  };
}

}  // namespace amoc

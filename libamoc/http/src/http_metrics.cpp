#include "http_metrics.hpp"

#include "amoc/metrics_on_demand.hpp"

namespace amoc::http::detail {

namespace {

// Recorded when they happen: a failure by phase, a status code by request name.
const metrics::on_demand on_demand_metrics{[] {
  std::vector<std::string> names{"http.*.status.*"};
  for (auto p : all_phases)
    names.push_back(std::string{"http.failures."} + to_string(p));
  return names;
}()};

}  // namespace

http_metrics::http_metrics(metrics::registry& r)
    : registry(r), requests(r.counter("http.requests")),
      connections(r.counter("http.connections")) {}

// Looked up by name when they happen: failures are rare, and only phases that
// failed then show in reports.
void http_metrics::failed(phase p) {
  registry.counter(std::string{"http.failures."} + to_string(p)).add();
}

named_metrics::named_metrics(metrics::registry& r, std::string n)
    : name(std::move(n)), registry(r), latency(r.histogram("http." + name + ".latency")),
      latency_corrected(r.histogram("http." + name + ".latency_corrected")),
      failures(r.counter("http." + name + ".failures")) {}

metrics::counter& named_metrics::status(unsigned code) {
  for (auto& [known, counter] : statuses)
    if (known == code)
      return *counter;
  auto& c = registry.counter("http." + name + ".status." + std::to_string(code));
  statuses.emplace_back(code, &c);
  return c;
}

}  // namespace amoc::http::detail

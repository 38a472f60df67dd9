#include "amoc/metrics_snapshot.hpp"

#include <nlohmann/json.hpp>

#include "amoc/error.hpp"

namespace amoc::metrics {

void snapshot::merge(const snapshot& other) {
  for (const auto& [name, value] : other.counters)
    counters[name] += value;
  for (const auto& [name, value] : other.gauges)
    gauges[name] += value;
  for (const auto& [name, h] : other.histograms)
    histograms[name].merge(h);
}

snapshot snapshot::since(const snapshot& earlier) const {
  snapshot delta;
  delta.gauges = gauges;
  for (const auto& [name, value] : counters) {
    auto it = earlier.counters.find(name);
    const auto before = it == earlier.counters.end() ? 0 : it->second;
    delta.counters.emplace(name, value >= before ? value - before : value);
  }
  for (const auto& [name, h] : histograms) {
    auto& d = delta.histograms[name];
    d = h;
    auto it = earlier.histograms.find(name);
    if (it != earlier.histograms.end() && it->second.count() <= h.count())
      d.subtract(it->second);
  }
  return delta;
}

snapshot merge(std::span<const snapshot> nodes) {
  snapshot all;
  for (const auto& s : nodes)
    all.merge(s);
  return all;
}

nlohmann::json to_json(const snapshot& s) {
  nlohmann::json histograms = nlohmann::json::object();
  for (const auto& [name, h] : s.histograms)
    histograms[name] = {{"sum", h.sum()}, {"cells", h.nonzero()}};
  return {{"counters", s.counters}, {"gauges", s.gauges}, {"histograms", histograms}};
}

caf::expected<snapshot> snapshot_from_json(const nlohmann::json& doc) {
  auto bad = [](const std::string& what) {
    return make_error(ec::invalid_argument, "metrics snapshot: " + what);
  };
  if (!doc.is_object())
    return bad("not a JSON object");
  snapshot s;
  try {
    if (auto it = doc.find("counters"); it != doc.end())
      s.counters = it->get<decltype(s.counters)>();
    if (auto it = doc.find("gauges"); it != doc.end())
      s.gauges = it->get<decltype(s.gauges)>();
    if (auto it = doc.find("histograms"); it != doc.end()) {
      for (const auto& [name, h] : it->items()) {
        using cells = std::vector<std::pair<std::uint32_t, std::uint64_t>>;
        if (!hdr_histogram::from_nonzero(h.at("cells").get<cells>(),
                                         h.at("sum").get<std::uint64_t>(), s.histograms[name]))
          return bad("histogram " + name + " has a cell index out of range");
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return bad(e.what());
  }
  return s;
}

}  // namespace amoc::metrics

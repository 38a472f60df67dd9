#include "amoc/metrics_settings.hpp"

#include "amoc/config_file.hpp"
#include "amoc/defaults.hpp"

namespace amoc {

namespace {

config::rule port_or_zero() {
  return {"a TCP port (1-65535), or 0 for none", [](const config::json& v) {
            return v.is_number_integer() && v.get<std::int64_t>() >= 0
                   && v.get<std::int64_t>() <= 65535;
          }};
}

}  // namespace

const std::vector<config::variable>& metrics_variables() {
  namespace d = defaults::metrics;
  static const std::vector<config::variable> vars{
    {"metrics_interval", "between two metrics samples and Graphite reports",
     to_string(duration{d::interval}), config::type::duration, config::rules::positive()},
    {"graphite_host", "carbon plaintext receiver to report to (empty: none)", "",
     config::type::string, std::nullopt},
    {"graphite_port", "carbon plaintext port", std::to_string(d::graphite_port),
     config::type::integer, config::rules::in_range(1, 65535)},
    {"graphite_prefix", "prefix of every Graphite metric name", d::graphite_prefix,
     config::type::string, std::nullopt},
    {"graphite_events_url", "graphite-web base URL for run start/stop events (empty: none)", "",
     config::type::string, std::nullopt},
    {"prometheus_port", "serve Prometheus /metrics on 127.0.0.1:PORT during a run (0: off)", "0",
     config::type::integer, port_or_zero()},
    {"prometheus_linger", "keep serving /metrics this long after a run ends (0: stop at once)",
     to_string(duration{d::prometheus_linger}), config::type::duration,
     config::rules::non_negative()},
  };
  return vars;
}

caf::expected<metrics_settings> metrics_settings::from(config::store& store) {
  store.declare(metrics_variables());
  // An empty default means "no default" to the store: optional strings are
  // checked only when given.
  std::vector<config::variable> given;
  for (const auto& var : metrics_variables())
    if (!var.default_text.empty() || store.lookup(var.name))
      given.push_back(var);
  if (auto err = config::check(store, given))
    return err;
  metrics_settings s;
  s.interval = store.get<duration>("metrics_interval");
  s.graphite_host = store.get<std::string>("graphite_host", std::string{});
  s.graphite_port = static_cast<std::uint16_t>(store.get<std::int64_t>("graphite_port"));
  s.graphite_prefix = store.get<std::string>("graphite_prefix");
  s.graphite_events_url = store.get<std::string>("graphite_events_url", std::string{});
  s.prometheus_port = static_cast<std::uint16_t>(store.get<std::int64_t>("prometheus_port"));
  s.prometheus_linger = store.get<duration>("prometheus_linger");
  return s;
}

}  // namespace amoc

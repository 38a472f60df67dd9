#include "amoc/prometheus.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/ip/address.hpp>

#include "amoc/error.hpp"
#include "amoc/web_server.hpp"

namespace amoc::metrics {

namespace {

// Sub-millisecond for loopback and LAN round trips, up to minutes for logins
// under overload: 1-2.5-5 steps, as Prometheus' own defaults.
constexpr std::array<double, 19> buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                         0.1,    0.25,  0.5,    1,     2.5,  5,     10,
                                         30,     60,    120,    300,   600};

std::string name_of(std::string_view prefix, std::string_view metric, std::string_view suffix) {
  std::string name{prefix};
  if (!name.empty())
    name += '_';
  for (char c : metric)
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (!name.empty() && std::isdigit(static_cast<unsigned char>(name[0])))
    name.insert(0, "_");
  name += suffix;
  return name;
}

// The shortest plain decimal that reads back as `v` ("0.0005", not "5e-04").
std::string prometheus_number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return ec == std::errc{} ? std::string(buf, end) : std::string{"NaN"};
}

void header(std::string& out, const std::string& name, std::string_view type,
            std::string_view metric, std::string_view what) {
  out += "# HELP " + name + " amoc " + std::string{what} + " " + std::string{metric} + "\n";
  out += "# TYPE " + name + " " + std::string{type} + "\n";
}

}  // namespace

std::span<const double> prometheus_buckets() { return buckets; }

std::string prometheus_text(const snapshot& s, std::string_view prefix) {
  std::string out;
  for (const auto& [metric, value] : s.counters) {
    const auto name = name_of(prefix, metric, "_total");
    header(out, name, "counter", metric, "counter");
    out += name + " " + std::to_string(value) + "\n";
  }
  for (const auto& [metric, value] : s.gauges) {
    const auto name = name_of(prefix, metric, "");
    header(out, name, "gauge", metric, "gauge");
    out += name + " " + std::to_string(value) + "\n";
  }
  for (const auto& [metric, h] : s.histograms) {
    const auto name = name_of(prefix, metric, "_seconds");
    header(out, name, "histogram", metric, "latency histogram");
    // Cells are in value order: one pass fills the cumulative buckets. A
    // cell counts towards a bound its lowest value is within (cells are at
    // most 0.1% wide).
    const auto cells = h.nonzero();
    std::size_t c = 0;
    std::uint64_t cumulative = 0;
    for (double le : buckets) {
      const auto le_us = static_cast<std::uint64_t>(std::llround(le * 1e6));
      while (c < cells.size() && hdr_histogram::lowest_at(cells[c].first) <= le_us)
        cumulative += cells[c++].second;
      out +=
        name + "_bucket{le=\"" + prometheus_number(le) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += name + "_bucket{le=\"+Inf\"} " + std::to_string(h.count()) + "\n";
    out += name + "_sum " + prometheus_number(static_cast<double>(h.sum()) / 1e6) + "\n";
    out += name + "_count " + std::to_string(h.count()) + "\n";
  }
  return out;
}

struct prometheus_exporter::impl {
  std::unique_ptr<web::server> server;
};

namespace {

// GET (or HEAD) /metrics with a fresh snapshot; anything else is refused.
web::response answer(const web::request& req, const prometheus_exporter::snapshot_source& source) {
  if (req.method != "GET" && req.method != "HEAD")
    return {405, "text/plain", "", {{"Allow", "GET, HEAD"}}};
  if (req.path != "/metrics")
    return {404, "text/plain", "amoc serves /metrics only\n"};
  // The server leaves the body out of a HEAD answer itself.
  return {200, "text/plain; version=0.0.4; charset=utf-8", prometheus_text(source())};
}

}  // namespace

caf::expected<std::unique_ptr<prometheus_exporter>>
prometheus_exporter::start(const registry& reg, std::uint16_t port, const std::string& address) {
  return start([&reg] { return reg.snapshot(); }, port, address);
}

caf::expected<std::unique_ptr<prometheus_exporter>>
prometheus_exporter::start(snapshot_source source, std::uint16_t port, const std::string& address) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(address, ec);
  if (ec)
    return make_error(ec::invalid_argument, "prometheus: bad address " + address);
  web::server::options opts;
  opts.address = address;
  opts.port = port;
  // One snapshot at a time, as scrapers ask: one worker is enough.
  opts.workers = 1;
  auto server = web::server::start(
    opts, [source = std::move(source)](web::request& req) { return answer(req, source); });
  if (!server)
    return make_error(ec::invalid_config, "prometheus_port " + std::to_string(port) + ": "
                                            + context_of(server.error()));
  auto i = std::make_unique<impl>();
  i->server = std::move(*server);
  return std::unique_ptr<prometheus_exporter>{new prometheus_exporter{std::move(i)}};
}

prometheus_exporter::prometheus_exporter(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

prometheus_exporter::~prometheus_exporter() = default;

std::uint16_t prometheus_exporter::port() const noexcept { return impl_->server->port(); }

}  // namespace amoc::metrics

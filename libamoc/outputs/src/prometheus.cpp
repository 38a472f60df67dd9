#include "amoc/prometheus.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
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

// The shortest plain decimal that reads back as `v` ("0.0005", not "5e-04").
std::string prometheus_number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  return ec == std::errc{} ? std::string(buf, end) : std::string{"NaN"};
}

// Label values and HELP text escape `\` and newlines; label values `"` too.
std::string escaped(std::string_view text, bool quote) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && quote)
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

std::string label_text(const prometheus_labels& labels) {
  if (labels.empty())
    return {};
  std::string out = "{";
  for (const auto& [name, value] : labels)
    out += (out.size() > 1 ? "," : "") + name + "=\"" + escaped(value, true) + "\"";
  return out + "}";
}

std::string_view type_name(metric_kind kind) {
  switch (kind) {
  case metric_kind::counter: return "counter";
  case metric_kind::gauge: return "gauge";
  case metric_kind::histogram: break;
  }
  return "histogram";
}

// The families of one scrape, each with its samples together, written in
// name order. Two amoc names that come out as the same series (`a.b` and
// `a_b`), or as one family of two kinds, cannot both be shown: the second is
// left out with a comment saying so, as Prometheus refuses a scrape with
// duplicate series.
class exposition {
public:
  explicit exposition(std::string_view prefix) : prefix_(prefix) {}

  // `lines(series_name, labels)` writes the series' sample lines.
  template <class Lines>
  void add(metric_kind kind, std::string_view metric, const prometheus_labels& extra,
           Lines&& lines) {
    auto s = prometheus_series_of(kind, metric, prefix_);
    s.labels.insert(s.labels.end(), extra.begin(), extra.end());
    auto& f = families_[s.family];
    if (f.series.empty()) {
      f.kind = kind;
      f.help = s.help.empty()
                 ? std::string{"amoc "} + std::string{type_name(kind)} + " " + std::string{metric}
                 : s.help;
    }
    if (f.kind != kind || !f.series.insert(label_text(s.labels)).second) {
      left_out_ += "# amoc: " + escaped(metric, false) + " (" + std::string{type_name(kind)}
                   + ") left out: its series " + s.family + label_text(s.labels) + " is taken\n";
      return;
    }
    lines(f.samples, s.family, s.labels);
  }

  [[nodiscard]] std::string text() const {
    std::string out;
    for (const auto& [name, f] : families_) {
      out += "# HELP " + name + " " + escaped(f.help, false) + "\n";
      out += "# TYPE " + name + " " + std::string{type_name(f.kind)} + "\n";
      out += f.samples;
    }
    return out + left_out_;
  }

private:
  struct family {
    metric_kind kind = metric_kind::counter;
    std::string help;
    std::set<std::string> series;  // label texts: one sample (set) each
    std::string samples;
  };
  std::string_view prefix_;
  std::map<std::string, family, std::less<>> families_;
  std::string left_out_;
};

void add_counter(exposition& e, std::string_view metric, std::uint64_t value,
                 const prometheus_labels& extra) {
  e.add(metric_kind::counter, metric, extra,
        [&](std::string& out, const std::string& name, const prometheus_labels& labels) {
          out += name + label_text(labels) + " " + std::to_string(value) + "\n";
        });
}

// Cells are in value order: one pass fills the cumulative buckets. A cell
// counts towards a bound its lowest value is within (cells are at most 0.1%
// wide).
void histogram_lines(std::string& out, const std::string& name, prometheus_labels labels,
                     const hdr_histogram& h) {
  const auto plain = label_text(labels);
  labels.emplace_back("le", "");
  const auto cells = h.nonzero();
  std::size_t c = 0;
  std::uint64_t cumulative = 0;
  auto bucket = [&](const std::string& le, std::uint64_t count) {
    labels.back().second = le;
    out += name + "_bucket" + label_text(labels) + " " + std::to_string(count) + "\n";
  };
  for (double le : buckets) {
    const auto le_us = static_cast<std::uint64_t>(std::llround(le * 1e6));
    while (c < cells.size() && hdr_histogram::lowest_at(cells[c].first) <= le_us)
      cumulative += cells[c++].second;
    bucket(prometheus_number(le), cumulative);
  }
  bucket("+Inf", h.count());
  out += name + "_sum" + plain + " " + prometheus_number(static_cast<double>(h.sum()) / 1e6) + "\n";
  out += name + "_count" + plain + " " + std::to_string(h.count()) + "\n";
}

}  // namespace

std::span<const double> prometheus_buckets() { return buckets; }

std::string prometheus_text(const snapshot& s, std::string_view prefix) {
  return prometheus_text(prometheus_scrape{s, {}}, prefix);
}

std::string prometheus_text(const prometheus_scrape& s, std::string_view prefix) {
  exposition e{prefix};
  if (s.nodes.empty())
    for (const auto& [metric, value] : s.run.counters)
      add_counter(e, metric, value, {});
  for (const auto& n : s.nodes)
    for (const auto& [metric, value] : n.counters)
      add_counter(e, metric, value, {{"node", n.node}});
  for (const auto& [metric, value] : s.run.gauges)
    e.add(metric_kind::gauge, metric, {},
          [&](std::string& out, const std::string& name, const prometheus_labels& labels) {
            out += name + label_text(labels) + " " + std::to_string(value) + "\n";
          });
  for (const auto& [metric, h] : s.run.histograms)
    if (!h.empty())  // no series for a latency nothing recorded (yet)
      e.add(metric_kind::histogram, metric, {},
            [&](std::string& out, const std::string& name, const prometheus_labels& labels) {
              histogram_lines(out, name, labels, h);
            });
  return e.text();
}

struct prometheus_exporter::impl {
  std::unique_ptr<web::server> server;
};

namespace {

// GET (or HEAD) /metrics with a fresh snapshot; anything else is refused.
web::response answer(const web::request& req, const prometheus_exporter::scrape_source& source) {
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
  return start(snapshot_source{[&reg] { return reg.snapshot(); }}, port, address);
}

caf::expected<std::unique_ptr<prometheus_exporter>>
prometheus_exporter::start(snapshot_source source, std::uint16_t port, const std::string& address) {
  return start(scrape_source{[source = std::move(source)] {
                 return prometheus_scrape{source(), {}};
               }},
               port, address);
}

caf::expected<std::unique_ptr<prometheus_exporter>>
prometheus_exporter::start(scrape_source source, std::uint16_t port, const std::string& address) {
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

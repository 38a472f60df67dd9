#include "amoc/prometheus.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <thread>
#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "amoc/error.hpp"
#include "amoc/tcp_listener.hpp"

namespace amoc::metrics {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

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
  explicit impl(snapshot_source s) : source(std::move(s)), acceptor(io) {}

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec)
        return;  // closed: the exporter is stopping
      std::make_shared<session>(std::move(socket), source)->read();
      accept();
    });
  }

  // One connection: requests answered in turn while the client keeps it alive.
  struct session : std::enable_shared_from_this<session> {
    session(tcp::socket s, const snapshot_source& src) : stream(std::move(s)), source(src) {}

    void read() {
      req = {};
      stream.expires_after(30s);
      http::async_read(stream, buffer, req,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (!ec)
                           self->answer();
                       });
    }

    void answer() {
      res = {};
      res.version(req.version());
      res.keep_alive(req.keep_alive());
      if (req.method() != http::verb::get && req.method() != http::verb::head) {
        res.result(http::status::method_not_allowed);
        res.set(http::field::allow, "GET, HEAD");
      } else if (req.target() != "/metrics" && !req.target().starts_with("/metrics?")) {
        res.result(http::status::not_found);
        res.set(http::field::content_type, "text/plain");
        res.body() = "amoc serves /metrics only\n";
      } else {
        res.result(http::status::ok);
        res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
        if (req.method() == http::verb::get)
          res.body() = prometheus_text(source());
      }
      res.prepare_payload();
      http::async_write(stream, res,
                        [self = shared_from_this()](beast::error_code ec, std::size_t) {
                          if (!ec && self->res.keep_alive())
                            self->read();
                          else
                            self->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
                        });
    }

    beast::tcp_stream stream;
    const snapshot_source& source;
    beast::flat_buffer buffer;
    http::request<http::empty_body> req;
    http::response<http::string_body> res;
  };

  snapshot_source source;
  asio::io_context io;
  tcp::acceptor acceptor;
  std::thread thread;
};

caf::expected<std::unique_ptr<prometheus_exporter>>
prometheus_exporter::start(const registry& reg, std::uint16_t port, const std::string& address) {
  return start([&reg] { return reg.snapshot(); }, port, address);
}

caf::expected<std::unique_ptr<prometheus_exporter>>
prometheus_exporter::start(snapshot_source source, std::uint16_t port, const std::string& address) {
  auto i = std::make_unique<impl>(std::move(source));
  beast::error_code ec;
  const auto addr = asio::ip::make_address(address, ec);
  if (ec)
    return make_error(ec::invalid_argument, "prometheus: bad address " + address);
  const tcp::endpoint endpoint{addr, port};
  ec = net::listen_on(i->acceptor, endpoint);
  if (ec)
    return make_error(ec::invalid_config, "prometheus_port " + std::to_string(port)
                                            + ": cannot listen on " + address + ": "
                                            + ec.message());
  i->accept();
  i->thread = std::thread{[raw = i.get()] { raw->io.run(); }};
  return std::unique_ptr<prometheus_exporter>{new prometheus_exporter{std::move(i)}};
}

prometheus_exporter::prometheus_exporter(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

prometheus_exporter::~prometheus_exporter() {
  impl_->io.stop();
  impl_->thread.join();
}

std::uint16_t prometheus_exporter::port() const noexcept {
  beast::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

}  // namespace amoc::metrics

#include "amoc/graphite.hpp"

#include <cctype>
#include <cstdio>
#include <optional>
#include <utility>  // before Asio: Boost 1.74 under C++20 needs std::exchange

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "amoc/error.hpp"
#include "amoc/metrics_format.hpp"
#include "amoc/net/url.hpp"

namespace amoc::metrics {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string graphite_number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string ms(std::uint64_t micros) {
  return graphite_number(static_cast<double>(micros) / 1000.0);
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

caf::error failed(const std::string& what, const beast::error_code& ec) {
  return make_error(ec::unspecified, what + ": " + ec.message());
}

// Runs the io_context until the started operation completes; the stream's
// own deadline bounds it.
void complete(asio::io_context& io) {
  io.restart();
  io.run();
}

// The events API under the base URL's path: http://host/graphite/ posts to /graphite/events/.
std::string events_target(const net::url& base) {
  std::string path = base.target.substr(0, base.target.find('?'));
  while (!path.empty() && path.back() == '/')
    path.pop_back();
  return path + "/events/";
}

}  // namespace

std::string graphite_path(std::string_view prefix, std::string_view metric) {
  std::string path{prefix};
  if (!path.empty() && !metric.empty())
    path += '.';
  for (char c : metric)
    path +=
      std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ? c : '_';
  return path;
}

std::string graphite_lines(std::string_view prefix, const interval& i, std::int64_t unix_seconds) {
  std::string out;
  const auto stamp = " " + std::to_string(unix_seconds) + "\n";
  auto line = [&](const std::string& name, std::string_view field, const std::string& value) {
    out += graphite_path(prefix, name);
    out += '.';
    out += field;
    out += ' ';
    out += value;
    out += stamp;
  };
  for (const auto& [name, total] : i.totals.counters) {
    line(name, "total", std::to_string(total));
    auto d = i.delta.counters.find(name);
    line(name, "rate", graphite_number(i.rate(d == i.delta.counters.end() ? 0 : d->second)));
  }
  for (const auto& [name, value] : i.delta.gauges)
    line(name, "value", std::to_string(value));
  for (const auto& [name, h] : i.delta.histograms) {
    line(name, "count", std::to_string(h.count()));
    if (h.empty())
      continue;  // no latency to report for an interval without samples
    line(name, "min", ms(h.min()));
    line(name, "mean", graphite_number(h.mean() / 1000.0));
    line(name, "p50", ms(h.value_at(50)));
    line(name, "p90", ms(h.value_at(90)));
    line(name, "p99", ms(h.value_at(99)));
    line(name, "max", ms(h.max()));
  }
  return out;
}

struct graphite_reporter::impl {
  explicit impl(options o) : opts(std::move(o)) {}

  caf::error connect() {
    if (carbon && carbon->socket().is_open())
      return {};
    carbon.emplace(io);
    tcp::resolver resolver{io};
    beast::error_code ec;
    auto endpoints = resolver.resolve(opts.host, std::to_string(opts.port), ec);
    if (ec)
      return failed("graphite " + opts.host + ": cannot resolve", ec);
    carbon->expires_after(opts.timeout);
    carbon->async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    complete(io);
    if (ec) {
      carbon.reset();
      return failed("graphite " + opts.host + ":" + std::to_string(opts.port)
                      + ": cannot connect (is carbon listening?)",
                    ec);
    }
    return {};
  }

  caf::error send(const std::string& lines) {
    if (auto err = connect())
      return err;
    beast::error_code ec;
    carbon->expires_after(opts.timeout);
    asio::async_write(*carbon, asio::buffer(lines),
                      [&](beast::error_code e, std::size_t) { ec = e; });
    complete(io);
    if (ec) {
      // Reconnect next time: carbon may have restarted.
      carbon.reset();
      return failed("graphite: sending failed", ec);
    }
    return {};
  }

  caf::error post_event(std::string_view event, std::string_view text) {
    auto url = net::parse_url(opts.events_url);
    if (!url || url->origin.tls)
      return make_error(ec::invalid_config,
                        "graphite_events_url must look like http://host:port, got "
                          + opts.events_url);
    beast::tcp_stream stream{io};
    tcp::resolver resolver{io};
    beast::error_code ec;
    auto endpoints = resolver.resolve(url->origin.host, std::to_string(url->origin.port), ec);
    if (ec)
      return failed("graphite events " + url->origin.host + ": cannot resolve", ec);
    stream.expires_after(opts.timeout);
    stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    complete(io);
    if (ec)
      return failed("graphite events " + opts.events_url + ": cannot connect", ec);
    http::request<http::string_body> req{http::verb::post, events_target(*url), 11};
    req.set(http::field::host, url->origin.host_header());
    req.set(http::field::content_type, "application/json");
    req.body() = nlohmann::json{{"what", "amoc " + std::string{event}},
                                {"tags", {"amoc", std::string{event}}},
                                {"data", std::string{text}}}
                   .dump();
    req.prepare_payload();
    http::response<http::string_body> res;
    beast::flat_buffer buffer;
    http::async_write(stream, req, [&](beast::error_code e, std::size_t) { ec = e; });
    complete(io);
    if (!ec) {
      http::async_read(stream, buffer, res, [&](beast::error_code e, std::size_t) { ec = e; });
      complete(io);
    }
    if (ec)
      return failed("graphite events " + opts.events_url, ec);
    if (res.result_int() >= 300)
      return make_error(ec::unspecified, "graphite events " + opts.events_url + ": HTTP "
                                           + std::to_string(res.result_int()));
    return {};
  }

  options opts;
  asio::io_context io;
  std::optional<beast::tcp_stream> carbon;
};

graphite_reporter::graphite_reporter(options opts)
    : impl_(std::make_unique<impl>(std::move(opts))) {}

graphite_reporter::~graphite_reporter() = default;

caf::error graphite_reporter::report(const interval& i) {
  return impl_->send(graphite_lines(impl_->opts.prefix, i, unix_now()));
}

caf::error graphite_reporter::annotate(std::string_view event, std::string_view text) {
  const auto line = graphite_path(impl_->opts.prefix, "annotations." + std::string{event}) + " 1 "
                    + std::to_string(unix_now()) + "\n";
  auto err = impl_->send(line);
  if (!impl_->opts.events_url.empty())
    if (auto posted = impl_->post_event(event, text); posted && !err)
      err = std::move(posted);
  return err;
}

}  // namespace amoc::metrics

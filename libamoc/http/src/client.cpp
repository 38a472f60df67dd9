#include "amoc/http/client.hpp"

#include <algorithm>
#include <cctype>

#include "amoc/io_pool.hpp"
#include "amoc/metrics.hpp"
#include "amoc/net/url.hpp"
#include "connection.hpp"
#include "http_metrics.hpp"
#include "request_text.hpp"

namespace amoc::http {

namespace {

using clock_type = client::clock;

bool is_redirect(unsigned status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string lower(std::string_view text) {
  std::string out{text};
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// RFC 9110 §15.4: 303 turns any method into GET; browsers (and so servers)
// do the same for a POST answered with 301 or 302.
void follow_as_get_if_needed(request& req, unsigned status) {
  if (status == 303 || ((status == 301 || status == 302) && req.method == method::post)) {
    req.method = method::get;
    req.body.clear();
  }
}

response to_response(detail::outcome&& o) {
  response r;
  r.status = o.status;
  r.headers = std::move(o.headers);
  r.body = std::move(o.body);
  r.reused_connection = o.reused;
  return r;
}

}  // namespace

client::client(user& u, options opts)
    : user_(u), options_(std::move(opts)),
      metrics_(u.metrics().attachment<detail::http_metrics>()) {}

client::~client() { close(); }

void client::close() {
  if (conn_)
    std::exchange(conn_, nullptr)->abandon();
}

http::error client::failed(http::error e) {
  metrics_.failed(e.phase());
  return e;
}

detail::named_metrics& client::metrics_for(const std::string& name) {
  for (auto& m : named_)
    if (m->name == name)
      return *m;
  named_.push_back(std::make_unique<detail::named_metrics>(metrics_.registry, name));
  return *named_.back();
}

// ---- the request API ---------------------------------------------------------------

task<result> client::send(request req) { return send_timed(std::move(req), clock::now(), false); }

task<result> client::send_at(request req, clock::time_point intended) {
  const auto now = clock::now();
  if (intended > now)
    co_await user_.sleep(intended - now);
  auto r = co_await send_timed(std::move(req), intended, true);
  co_return r;
}

task<result> client::get(std::string url, std::string name) {
  return send(request{method::get, std::move(url), {}, {}, std::move(name)});
}

task<result> client::del(std::string url, std::string name) {
  return send(request{method::del, std::move(url), {}, {}, std::move(name)});
}

task<result> client::post(std::string url, std::string body, std::string name) {
  return send(request{method::post, std::move(url), {}, std::move(body), std::move(name)});
}

task<result> client::put(std::string url, std::string body, std::string name) {
  return send(request{method::put, std::move(url), {}, std::move(body), std::move(name)});
}

task<result> client::patch(std::string url, std::string body, std::string name) {
  return send(request{method::patch, std::move(url), {}, std::move(body), std::move(name)});
}

// ---- redirects and metrics --------------------------------------------------------------

task<result> client::send_timed(request req, clock::time_point intended, bool corrected) {
  auto& named = metrics_for(req.name.empty() ? lower(to_string(req.method)) : req.name);
  metrics_.requests.add();
  const auto started = clock::now();
  auto r = co_await follow_redirects(std::move(req));
  const auto finished = clock::now();
  if (!r.ok()) {
    named.failures.add();
    co_return r;
  }
  r->latency = finished - started;
  named.latency.record(r->latency);
  if (corrected)
    named.latency_corrected.record(finished - intended);
  named.status(r->status).add();
  co_return r;
}

task<result> client::follow_redirects(request req) {
  for (int redirects = 0;; ++redirects) {
    std::string why;
    auto target = net::parse_url(req.url, &why);
    if (!target)
      co_return failed(http::error{phase::request, "bad-url", req.url + ": " + why});
    auto r = co_await exchange(req, *target);
    if (!r.ok())
      co_return r;
    r->url = req.url;
    r->redirects = redirects;
    const auto location = r->header("location");
    if (options_.max_redirects == 0 || !is_redirect(r->status) || !location)
      co_return r;
    if (redirects == options_.max_redirects)
      co_return failed(http::error{phase::request, "too-many-redirects",
                                   std::to_string(redirects) + " followed, last to " + req.url});
    req.url = net::resolve_location(*target, *location);
    follow_as_get_if_needed(req, r->status);
  }
}

// ---- one exchange on a connection ---------------------------------------------------------

void client::use_connection_to(const net::url& target) {
  if (conn_ && conn_->origin() == target.origin)
    return;
  close();
  detail::connect_spec spec{target.origin, options_.verify_tls, options_.ca_file,
                            options_.source_address, options_.max_body_bytes};
  conn_ = std::make_shared<detail::connection>(user_.io().next(), std::move(spec));
  metrics_.connections.add();
}

task<result> client::exchange(const request& req, const net::url& target) {
  const auto bytes = detail::serialize(req, target, {options_.user_agent, options_.keep_alive});
  const auto deadline = clock::now() + options_.request_timeout;
  for (int attempt = 0;; ++attempt) {
    use_connection_to(target);
    const bool fresh = !conn_->was_used();
    conn_->start(bytes, req.method == method::head);
    const auto connect_deadline = fresh ? clock::now() + options_.connect_timeout : deadline;
    auto timed_out = co_await wait_for_outcome(std::min(deadline, connect_deadline), deadline);
    if (timed_out)
      co_return failed(std::move(*timed_out));
    auto o = conn_->take();
    if (o.failure && o.retryable && attempt == 0) {
      conn_.reset();  // the server closed it while idle: once more on a new one
      continue;
    }
    if (o.failure || !o.keep_alive || !options_.keep_alive)
      conn_.reset();  // closed on its loop already
    if (o.failure)
      co_return failed(std::move(*o.failure));
    co_return to_response(std::move(o));
  }
}

task<std::optional<http::error>> client::wait_for_outcome(clock::time_point connect_deadline,
                                                          clock::time_point deadline) {
  for (;;) {
    const bool connecting = conn_->current_phase() <= phase::tls;
    const auto until = connecting ? connect_deadline : deadline;
    co_await conn_->wait(user_, until);
    if (conn_->done())
      co_return std::nullopt;
    const auto in = conn_->current_phase();
    // Woken early, or connected meanwhile: the request deadline applies now.
    if (clock::now() < until || (in <= phase::tls) != connecting)
      continue;
    close();
    const auto limit = connecting ? options_.connect_timeout : options_.request_timeout;
    co_return http::error{phase::timeout, connecting ? "connect-timeout" : "request-timeout",
                          std::string{"after "} + amoc::to_string(limit) + " in " + to_string(in)};
  }
}

}  // namespace amoc::http

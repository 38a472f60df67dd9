// http_get: each user requests `http_url` over and over.
//
// Closed model (http_rate 0, the default): each user sends `http_requests`
// GETs per iteration, one every `http_interval` (start to start; a slower
// response delays the next one). Open model (http_rate > 0): the node's users
// share one arrival schedule of `http_rate` requests per second (after an
// optional ramp from `http_rate_start` over `http_rate_ramp`), each taking
// the next arrival when free; latency is then also recorded from the
// intended send time (http.<name>.latency_corrected). Users keep their
// connection alive between requests (`http_keep_alive`). A failed request is
// counted (http.failures.<phase>) and the user goes on.

#include <memory>

#include "amoc/http/arrival_rate.hpp"
#include "amoc/http/client.hpp"
#include "amoc/scenario.hpp"

namespace {

namespace http = amoc::http;
using clock_type = std::chrono::steady_clock;

class http_get final : public amoc::scenario {
public:
  void init() override {
    request_.url = config<std::string>("http_url");
    if (!request_.url.starts_with("http://") && !request_.url.starts_with("https://"))
      throw amoc::config::error("http_url", "\"" + request_.url + "\" is not an http(s) URL");
    request_.name = config<std::string>("http_request_name");
    interval_ = config<amoc::duration>("http_interval");
    requests_ = config<amoc::count>("http_requests");
    const http::rate_plan plan{config<double>("http_rate"), config<double>("http_rate_start"),
                               config<amoc::duration>("http_rate_ramp"),
                               config<amoc::duration>("http_rate_duration")};
    if (const auto why = plan.validate(); !why.empty())
      throw amoc::config::error("http_rate", why);
    if (plan.enabled())
      // The rate is cluster-wide: each of a distributed run's nodes sends its share.
      schedule_ = std::make_unique<http::arrival_schedule>(
        plan.per_node(config<std::int64_t>("node_count")));
  }

  amoc::task<> start(amoc::user& u) override {
    http::client client{u, http::options::from(u)};
    if (schedule_)
      co_await open_model(u, client);
    else
      co_await closed_model(u, client);
  }

private:
  amoc::task<> closed_model(amoc::user& u, http::client& client) {
    for (std::uint64_t i = 0; (requests_.infinite() || i < requests_.value) && !u.stopping(); ++i) {
      const auto next = clock_type::now() + interval_;
      auto r = co_await client.send(request_);
      report(u, r);
      co_await u.sleep(next - clock_type::now());
    }
  }

  amoc::task<> open_model(amoc::user& u, http::client& client) {
    while (!u.stopping()) {
      const auto at = schedule_->next();
      if (!at)
        break;
      auto r = co_await client.send_at(request_, *at);
      report(u, r);
    }
  }

  // Failures are already counted by the client; the log says what they were.
  static void report(amoc::user& u, const http::result& r) {
    if (!r.ok())
      u.debug() << r.error().what();
  }

  http::request request_;
  amoc::duration interval_{};
  amoc::count requests_;
  std::unique_ptr<http::arrival_schedule> schedule_;
};

std::vector<amoc::config::variable> variables() {
  using amoc::config::type;
  namespace rules = amoc::config::rules;
  auto vars = http::config_variables({
    {"http_url", "the URL users GET", "http://127.0.0.1:8080/", type::string, std::nullopt},
    {"http_request_name", "metrics name: http.<name>.latency, ...", "get", type::string,
     std::nullopt},
    {"http_interval", "closed model: time between two requests of a user (start to start)", "1s",
     type::duration, rules::non_negative()},
    {"http_requests", "closed model: requests per user per iteration", "infinity", type::count,
     std::nullopt},
  });
  for (auto& v : http::rate_variables())
    vars.push_back(std::move(v));
  return vars;
}

}  // namespace

AMOC_REGISTER_SCENARIO(http_get, "http_get",
                       "Users GET http_url, each at its own pace or sharing an arrival rate.",
                       (variables()));

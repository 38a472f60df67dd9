#pragma once

// What the REST handlers share: the runtime, the gateway's options, the live
// feed, and the route table they are reached through.

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "amoc/prometheus_source.hpp"
#include "amoc/rest_gateway.hpp"
#include "amoc/runtime.hpp"
#include "amoc/web_server.hpp"
#include "live_feed.hpp"

namespace amoc::rest {

using json = nlohmann::json;

struct context {
  context(runtime& r, rest_gateway::options o)
      : rt(r), opts(std::move(o)), feed(r), prometheus(prometheus_source(r)) {}

  runtime& rt;
  rest_gateway::options opts;
  /// One compile at a time: uploads share the build folder.
  std::mutex upload_mutex;
  /// Settings the last `/execution/start` set, unset by the next one.
  std::mutex start_mutex;
  std::vector<std::string> start_settings;
  live_feed feed;
  /// `GET /metrics`: one scrape at a time (it keeps the nodes' last counters).
  std::mutex prometheus_mutex;
  metrics::prometheus_exporter::scrape_source prometheus;
};

using handler = std::function<web::response(context&, web::request&)>;

struct route {
  const char* method;
  const char* pattern;  ///< "/status/{node}": a `{...}` segment matches any one segment
  bool mutating;        ///< needs the bearer token
  handler handle;
};

/// Every route, in the order the OpenAPI document lists them.
[[nodiscard]] const std::vector<route>& routes();

/// True when `path` matches `pattern`; the `{...}` segments go to `params`.
[[nodiscard]] bool matches(std::string_view pattern, std::string_view path,
                           std::vector<std::string>& params);

// Handlers, by file: api.cpp (status, nodes, scenarios, execution),
// results.cpp (result document, report), upload.cpp, pages.cpp (dashboard,
// API docs, events).
web::response get_status(context&, web::request&);
web::response get_node_status(context&, web::request&);
web::response get_metrics(context&, web::request&);
web::response get_nodes(context&, web::request&);
web::response get_scenarios(context&, web::request&);
web::response get_scenario_info(context&, web::request&);
web::response get_scenario_defaults(context&, web::request&);
web::response put_upload(context&, web::request&);
web::response patch_start(context&, web::request&);
web::response patch_stop(context&, web::request&);
web::response patch_add_users(context&, web::request&);
web::response patch_remove_users(context&, web::request&);
web::response patch_update_settings(context&, web::request&);
web::response get_result(context&, web::request&);
web::response get_report(context&, web::request&);
web::response get_dashboard(context&, web::request&);
web::response get_api_docs(context&, web::request&);
web::response get_api_docs_ui(context&, web::request&);
web::response get_api_docs_file(context&, web::request&);
web::response get_events(context&, web::request&);

// Responses.
[[nodiscard]] web::response json_response(unsigned status, const json& body);
/// {"error": message} plus `extra`'s members.
[[nodiscard]] web::response error_response(unsigned status, const std::string& message,
                                           json extra = json::object());
/// The HTTP status for an amoc error: 400 bad input, 404 unknown scenario or
/// node, 409 wrong state (with the run's current state), 503 nodes down.
[[nodiscard]] web::response error_response(context& ctx, const caf::error& err);

}  // namespace amoc::rest

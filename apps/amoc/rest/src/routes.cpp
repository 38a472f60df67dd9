// The route table and the responses every handler shares.

#include "amoc/error.hpp"
#include "context.hpp"

namespace amoc::rest {

const std::vector<route>& routes() {
  static const std::vector<route> table{
    {"GET", "/", false, get_dashboard},
    {"GET", "/events", false, get_events},
    {"GET", "/api-docs", false, get_api_docs},
    {"GET", "/api-docs/ui", false, get_api_docs_ui},
    {"GET", "/api-docs/ui/{file}", false, get_api_docs_file},
    {"GET", "/status", false, get_status},
    {"GET", "/status/{node}", false, get_node_status},
    {"GET", "/metrics", false, get_metrics},
    {"GET", "/nodes", false, get_nodes},
    {"GET", "/scenarios", false, get_scenarios},
    {"GET", "/scenarios/info/{id}", false, get_scenario_info},
    {"GET", "/scenarios/defaults/{id}", false, get_scenario_defaults},
    {"PUT", "/scenarios/upload", true, put_upload},
    {"PATCH", "/execution/start", true, patch_start},
    {"PATCH", "/execution/stop", true, patch_stop},
    {"PATCH", "/execution/add_users", true, patch_add_users},
    {"PATCH", "/execution/remove_users", true, patch_remove_users},
    {"PATCH", "/execution/update_settings", true, patch_update_settings},
    {"GET", "/execution/result", false, get_result},
    {"GET", "/execution/report", false, get_report},
  };
  return table;
}

bool matches(std::string_view pattern, std::string_view path, std::vector<std::string>& params) {
  // Segment by segment; a trailing '/' on the path is not significant.
  if (path.size() > 1 && path.ends_with('/'))
    path.remove_suffix(1);
  while (!pattern.empty() && !path.empty()) {
    const auto pe = pattern.find('/', 1), te = path.find('/', 1);
    const auto p = pattern.substr(0, pe), t = path.substr(0, te);
    if (p.starts_with("/{")) {
      if (t.size() < 2)
        return false;
      params.emplace_back(t.substr(1));
    } else if (p != t) {
      return false;
    }
    pattern = pe == std::string_view::npos ? std::string_view{} : pattern.substr(pe);
    path = te == std::string_view::npos ? std::string_view{} : path.substr(te);
  }
  return pattern.empty() && path.empty();
}

web::response json_response(unsigned status, const json& body) {
  return {status, "application/json", body.dump() + "\n"};
}

web::response error_response(unsigned status, const std::string& message, json extra) {
  extra["error"] = message;
  return json_response(status, extra);
}

web::response error_response(context& ctx, const caf::error& err) {
  const auto message = render(err);
  if (err.category() != ec_category)
    return error_response(500, message);
  switch (static_cast<ec>(err.code())) {
  case ec::wrong_state: {
    auto st = ctx.rt.status();
    return error_response(409, message, {{"status", st ? to_string(st->state) : "unknown"}});
  }
  case ec::unknown_scenario:
  case ec::unknown_node: return error_response(404, message);
  case ec::node_unavailable: return error_response(503, message);
  case ec::scenario_init_failed:
  case ec::plugin_load_failed: return error_response(500, message);
  default: return error_response(400, message);
  }
}

}  // namespace amoc::rest

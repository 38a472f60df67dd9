// The amoc-arsenal endpoints: status, nodes, scenarios and execution control.

#include <cstdlib>
#include <limits>
#include <regex>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/json_input.hpp"
#include "amoc/run_file.hpp"
#include "amoc/scenario.hpp"
#include "amoc/settings.hpp"
#include "context.hpp"
#include "request_fields.hpp"
#include "status_json.hpp"

extern char** environ;

namespace amoc::rest {

namespace {

// Settings that hold secrets never leave the node through the API.
bool secret(std::string_view name) {
  static const std::regex pattern{"token|pass|secret|key", std::regex::icase};
  return std::regex_search(name.begin(), name.end(), pattern);
}

json environment() {
  auto env = json::object();
  for (char** e = environ; *e; ++e) {
    std::string_view entry{*e};
    const auto eq = entry.find('=');
    if (!entry.starts_with("AMOC_") || eq == std::string_view::npos || secret(entry.substr(0, eq)))
      continue;
    env[std::string{entry.substr(0, eq)}] = std::string{entry.substr(eq + 1)};
  }
  return env;
}

json public_settings(const json& values) {
  auto out = json::object();
  for (const auto& [name, value] : values.items())
    if (!secret(name))
      out[name] = value;
  return out;
}

json controller_json(const status& st, const json& settings) {
  json c{{"status", to_string(st.state)},
         {"scenario", st.scenario},
         {"number_of_users", st.users.alive()},
         {"users", users_json(st.users)},
         {"settings", settings}};
  if (!st.error.empty())
    c["error"] = st.error;
  if (!st.comment.empty())
    c["comment"] = st.comment;
  return c;
}

json variable_json(const config::variable& v, bool builtin) {
  json j{{"description", v.description},
         {"default_value", v.default_text},
         {"type", config::to_string(v.type)},
         {"builtin", builtin}};
  if (v.check)
    j["verification"] = v.check->description;
  return j;
}

const scenario_info* scenario_of(const web::request& req) {
  return req.params.empty() ? nullptr : find_scenario(req.params[0]);
}

web::response no_scenario(const web::request& req) {
  return error_response(404, "no scenario '" + (req.params.empty() ? "" : req.params[0])
                               + "' (GET /scenarios lists them)");
}

}  // namespace

web::response get_status(context& ctx, web::request&) {
  auto st = ctx.rt.status();
  if (!st)
    return json_response(503, {{"amoc_status", "down"}, {"error", render(st.error())}});
  auto settings = public_settings(ctx.rt.settings().runtime_values());
  auto nodes = json::array();
  for (const auto& n : st->nodes)
    nodes.push_back(node_json(n));
  return json_response(200, {{"amoc_status", "up"},
                             {"role", ctx.rt.distributed() ? "master" : "local"},
                             {"controller", controller_json(*st, settings)},
                             {"nodes", nodes},
                             {"env", environment()}});
}

// The same text as `amoc run`'s exporter: Prometheus scrapes a gateway
// (and its cluster) as it scrapes a batch run.
web::response get_metrics(context& ctx, web::request&) {
  std::lock_guard guard{ctx.prometheus_mutex};
  return {200, "text/plain; version=0.0.4; charset=utf-8",
          metrics::prometheus_text(ctx.prometheus())};
}

web::response get_node_status(context& ctx, web::request& req) {
  auto st = ctx.rt.status();
  if (!st)
    return error_response(ctx, st.error());
  const auto& name = req.params[0];
  if (!ctx.rt.distributed()) {
    if (name != local_node)
      return error_response(404, "no node '" + name + "': this amoc runs locally (node 'local')");
    return get_status(ctx, req);
  }
  for (const auto& n : st->nodes)
    if (n.name == name || n.address == name) {
      json controller{{"status", to_string(n.state)},
                      {"scenario", n.scenario},
                      {"number_of_users", n.users.alive()},
                      {"users", users_json(n.users)}};
      if (!n.error.empty())
        controller["error"] = n.error;
      return json_response(200, {{"amoc_status", n.up ? "up" : "down"},
                                 {"node", node_json(n)},
                                 {"controller", controller}});
    }
  return error_response(404, "no node '" + name + "' (GET /nodes lists them)");
}

web::response get_nodes(context& ctx, web::request&) {
  auto st = ctx.rt.status();
  if (!st)
    return error_response(ctx, st.error());
  auto nodes = json::object();
  if (!ctx.rt.distributed())
    nodes[local_node] = "up";
  for (const auto& n : st->nodes)
    nodes[n.name] = n.up ? "up" : "down";
  return json_response(200, {{"nodes", nodes}});
}

web::response get_scenarios(context&, web::request&) {
  return json_response(200, {{"scenarios", scenario_names()}});
}

web::response get_scenario_info(context&, web::request& req) {
  const auto* info = scenario_of(req);
  if (!info)
    return no_scenario(req);
  auto parameters = json::object();
  for (const auto& v : builtin_variables())
    parameters[v.name] = variable_json(v, true);
  for (const auto& v : info->variables)
    parameters[v.name] = variable_json(v, false);
  return json_response(200, {{"name", info->name},
                             {"doc", info->description},
                             {"origin", info->origin},
                             {"source", info->source},
                             {"parameters", parameters}});
}

web::response get_scenario_defaults(context&, web::request& req) {
  const auto* info = scenario_of(req);
  if (!info)
    return no_scenario(req);
  auto settings = json::object();
  for (const auto* vars : {&builtin_variables(), &info->variables})
    for (const auto& v : *vars)
      settings[v.name] = v.default_text;
  return json_response(200, {{"settings", settings}});
}

}  // namespace amoc::rest

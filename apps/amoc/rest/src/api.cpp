// The amoc-arsenal endpoints: status, nodes, scenarios and execution control.

#include <cstdlib>
#include <limits>
#include <regex>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/json_input.hpp"
#include "amoc/scenario.hpp"
#include "amoc/settings.hpp"
#include "context.hpp"
#include "status_json.hpp"

extern char** environ;

namespace amoc::rest {

namespace {

constexpr const char* local_node = "local";

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

// The request body as a JSON object ({} when empty), nested no deeper than
// amoc::input::max_json_depth.
caf::expected<json> body_object(const web::request& req) {
  if (req.body.empty())
    return json::object();
  auto doc = input::parse_json(req.body, ec::invalid_argument);
  if (!doc)
    return make_error(ec::invalid_argument,
                      "the request body is not JSON amoc accepts: " + context_of(doc.error()));
  if (!doc->is_object())
    return make_error(ec::invalid_argument, "the request body must be a JSON object");
  return doc;
}

// The user count of start and add: a positive integer up to the runtime's
// limit. Remove takes any positive count (it removes at most what runs).
constexpr auto max_users = defaults::runtime::max_users_per_request;
constexpr auto any_count = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

// A positive integer field up to `max`; `required` or 0 when absent.
caf::expected<std::uint64_t> users_field(const json& body, bool required,
                                         std::uint64_t max = max_users) {
  const auto it = body.find("users");
  if (it == body.end()) {
    if (required)
      return make_error(ec::invalid_argument, "'users' is missing: give a positive integer");
    return std::uint64_t{0};
  }
  // Unsigned first: a value past INT64_MAX must not turn negative.
  const bool fits = it->is_number_unsigned()
                      ? it->get<std::uint64_t>() <= max
                      : it->is_number_integer() && it->get<std::int64_t>() > 0;
  if (!fits || it->get<std::uint64_t>() == 0)
    return make_error(ec::invalid_argument, "'users' must be an integer from 1 to "
                                              + std::to_string(max) + ", got " + it->dump());
  return it->get<std::uint64_t>();
}

// An optional field of a JSON type `is`, named in the error as `kind`.
template <class T>
caf::expected<T> optional_field(const json& body, const char* name, T fallback,
                                bool (json::*is)() const noexcept, const char* kind) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null())
    return fallback;
  if (!((*it).*is)())
    return make_error(ec::invalid_argument,
                      std::string{"'"} + name + "' must be " + kind + ", got " + it->dump());
  return it->get<T>();
}

caf::expected<std::vector<std::string>> nodes_field(const json& body) {
  std::vector<std::string> nodes;
  const auto it = body.find("nodes");
  if (it == body.end() || it->is_null())
    return nodes;
  if (!it->is_array())
    return make_error(ec::invalid_argument, "'nodes' must be a list of node names");
  for (const auto& n : *it) {
    if (!n.is_string())
      return make_error(ec::invalid_argument,
                        "'nodes' must be a list of node names, got " + n.dump());
    nodes.push_back(n.get<std::string>());
  }
  return nodes;
}

// A local amoc has one node, "local": naming it is the same as naming none.
caf::expected<std::vector<std::string>> chosen_nodes(context& ctx, const json& body) {
  auto nodes = nodes_field(body);
  if (!nodes || ctx.rt.distributed())
    return nodes;
  for (const auto& n : *nodes)
    if (n != local_node)
      return make_error(ec::unknown_node,
                        "no node '" + n + "': this amoc runs locally (node 'local')");
  return std::vector<std::string>{};
}

// The body of add_users and remove_users: {"users": n, "nodes": [...], ...}.
struct users_request {
  json body;
  std::uint64_t users;
  std::vector<std::string> nodes;
};

caf::expected<users_request> users_request_of(context& ctx, const web::request& req,
                                              std::uint64_t max_users) {
  auto body = body_object(req);
  if (!body)
    return body.error();
  auto users = users_field(*body, true, max_users);
  if (!users)
    return users.error();
  auto nodes = chosen_nodes(ctx, *body);
  if (!nodes)
    return nodes.error();
  return users_request{std::move(*body), *users, std::move(*nodes)};
}

caf::expected<json> settings_field(const json& body) {
  const auto it = body.find("settings");
  if (it == body.end() || it->is_null())
    return json::object();
  if (!it->is_object())
    return make_error(ec::invalid_argument, "'settings' must be an object of name: value");
  return *it;
}

// Checks given settings against the declarations of the scenario and the
// built-in ones, before anything starts: a bad value is a 400 naming it.
caf::error check_settings(const json& settings, const scenario_info& info) {
  std::vector<config::variable> declared = builtin_variables();
  declared.insert(declared.end(), info.variables.begin(), info.variables.end());
  for (const auto& [name, value] : settings.items()) {
    auto it =
      std::find_if(declared.begin(), declared.end(), [&](const auto& v) { return v.name == name; });
    if (it == declared.end())
      continue;  // undeclared settings are the scenario's own business
    auto converted = config::convert_to(it->type, value);
    if (!converted || (it->check && !it->check->check(*converted)))
      return make_error(ec::invalid_config,
                        "setting '" + name + "': " + value.dump() + " is not "
                          + (it->check ? it->check->description : "of the declared type"));
  }
  return {};
}

// Settings of the previous REST start give way to this one's.
void apply_start_settings(context& ctx, const json& settings) {
  std::lock_guard guard{ctx.start_mutex};
  for (const auto& name : ctx.start_settings)
    ctx.rt.settings().unset(name);
  ctx.start_settings.clear();
  for (const auto& [name, value] : settings.items()) {
    ctx.rt.settings().set(name, value);
    ctx.start_settings.push_back(name);
  }
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

web::response patch_start(context& ctx, web::request& req) {
  auto body = body_object(req);
  if (!body)
    return error_response(ctx, body.error());
  const auto scenario = body->find("scenario");
  if (scenario == body->end() || !scenario->is_string())
    return error_response(400, "'scenario' is missing: give the name of a scenario");
  const auto* info = find_scenario(scenario->get<std::string>());
  if (!info)
    return error_response(404, "no scenario '" + scenario->get<std::string>()
                                 + "' (GET /scenarios lists them)");
  auto users = users_field(*body, true);
  auto nodes = chosen_nodes(ctx, *body);
  auto settings = settings_field(*body);
  auto comment = optional_field<std::string>(*body, "comment", "started through the REST API",
                                             &json::is_string, "a string");
  if (!users || !nodes || !settings || !comment)
    return error_response(ctx, !users      ? users.error()
                               : !nodes    ? nodes.error()
                               : !settings ? settings.error()
                                           : comment.error());
  if (auto err = check_settings(*settings, *info))
    return error_response(ctx, err);
  // The state first, so a running run is a 409 before its settings change.
  auto st = ctx.rt.status();
  if (st && (st->state == run_state::running || st->state == run_state::terminating))
    return error_response(409, "cannot start while the run is " + std::string{to_string(st->state)},
                          {{"status", to_string(st->state)}});
  apply_start_settings(ctx, *settings);
  runtime::placement where;
  where.nodes = *nodes;
  where.comment = *comment;
  if (auto err = ctx.rt.start(info->name, 1, *users, where))
    return error_response(ctx, err);
  return json_response(200, {{"scenario", info->name}, {"users", *users}, {"status", "running"}});
}

web::response patch_stop(context& ctx, web::request& req) {
  auto body = body_object(req);
  if (!body)
    return error_response(ctx, body.error());
  auto force = optional_field(*body, "force", false, &json::is_boolean, "true or false");
  if (!force)
    return error_response(ctx, force.error());
  if (auto err = ctx.rt.stop(*force))
    return error_response(ctx, err);
  return json_response(200, {{"status", "terminating"}, {"force", *force}});
}

web::response patch_add_users(context& ctx, web::request& req) {
  auto r = users_request_of(ctx, req, max_users);
  if (!r)
    return error_response(ctx, r.error());
  if (auto err = ctx.rt.add(r->users, r->nodes))
    return error_response(ctx, err);
  return json_response(200, {{"added", r->users}});
}

web::response patch_remove_users(context& ctx, web::request& req) {
  auto r = users_request_of(ctx, req, any_count);
  if (!r)
    return error_response(ctx, r.error());
  auto force = optional_field(r->body, "force", false, &json::is_boolean, "true or false");
  if (!force)
    return error_response(ctx, force.error());
  auto removed = ctx.rt.remove(r->users, *force, r->nodes);
  if (!removed)
    return error_response(ctx, removed.error());
  return json_response(200, {{"removed", *removed}});
}

web::response patch_update_settings(context& ctx, web::request& req) {
  auto body = body_object(req);
  if (!body)
    return error_response(ctx, body.error());
  auto nodes = chosen_nodes(ctx, *body);
  auto settings = settings_field(*body);
  if (!nodes || !settings)
    return error_response(ctx, !nodes ? nodes.error() : settings.error());
  if (settings->empty())
    return error_response(400, "'settings' is missing or empty: give an object of name: value");
  if (auto err = ctx.rt.update_settings(*settings, *nodes))
    return error_response(ctx, err);
  return json_response(200, {{"updated", *settings}});
}

}  // namespace amoc::rest

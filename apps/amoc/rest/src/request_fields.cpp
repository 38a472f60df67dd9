// What the execution requests share: the body, user counts, node choices and
// settings, each checked with an error that names the field.

#include "request_fields.hpp"

#include <algorithm>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/json_input.hpp"
#include "amoc/settings.hpp"

namespace amoc::rest {

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

// A positive integer field up to `max`; `required` or 0 when absent.
caf::expected<std::uint64_t> users_field(const json& body, bool required, std::uint64_t max) {
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

caf::expected<users_request> users_request_of(context& ctx, const web::request& req,
                                              std::uint64_t max) {
  auto body = body_object(req);
  if (!body)
    return body.error();
  auto users = users_field(*body, true, max);
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

}  // namespace amoc::rest

// The execution endpoints: start (the arsenal's body or a run file's fields:
// one run value for the runtime's executor), stop, add and remove users,
// live settings, and the run's result document and report.

#include "amoc/report_html.hpp"
#include "amoc/result_json.hpp"
#include "amoc/run_file.hpp"
#include "amoc/scenario.hpp"
#include "context.hpp"
#include "request_fields.hpp"

namespace amoc::rest {

namespace {

// The arsenal's body ({"scenario", "users": n, "settings", "nodes", "comment"})
// or a run file's fields ("users": [first, last], "duration", "stages",
// "thresholds", ...): one run value either way.
caf::expected<run_file> run_of_start_body(context& ctx, json body) {
  auto nodes = chosen_nodes(ctx, body);
  if (!nodes)
    return nodes.error();
  body.erase("nodes");
  if (auto users = body.find("users"); users != body.end() && !users->is_array()) {
    auto count = users_field(body, true);
    if (!count)
      return count.error();
    body["users"] = {1, *count};
  } else if (users == body.end() && !body.contains("stages")) {
    return make_error(ec::invalid_argument,
                      "'users' is missing: give a positive integer (or \"stages\")");
  }
  if (!body.contains("comment"))
    body["comment"] = "started through the REST API";
  auto run = parse_run_file(body, "the request body");
  if (!run)
    return make_error(ec::invalid_argument, context_of(run.error()));
  run->on_nodes = std::move(*nodes);
  return run;
}

web::response no_run() {
  return error_response(404, "no run was started yet (PATCH /execution/start starts one)");
}

}  // namespace

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
  auto settings = settings_field(*body);
  if (!settings)
    return error_response(ctx, settings.error());
  auto run = run_of_start_body(ctx, std::move(*body));
  if (!run)
    return error_response(ctx, run.error());
  if (auto err = check_settings(*settings, *info))
    return error_response(ctx, err);
  // The state first, so a running run is a 409 before its settings change.
  auto st = ctx.rt.status();
  if (st && (st->state == run_state::running || st->state == run_state::terminating))
    return error_response(409, "cannot start while the run is " + std::string{to_string(st->state)},
                          {{"status", to_string(st->state)}});
  apply_start_settings(ctx, *settings);
  if (auto launched = ctx.rt.launch(*run); !launched)
    return error_response(ctx, launched.error());
  return json_response(
    200,
    {{"scenario", info->name}, {"users", run->last_id - run->first_id + 1}, {"status", "running"}});
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

web::response get_result(context& ctx, web::request&) {
  const auto run = ctx.rt.last_execution();
  if (!run)
    return no_run();
  // Done first: once it says done, the result read after it is the final one.
  const bool done = run->done();
  auto doc = to_json(run->run(), run->result());
  doc["done"] = done;
  return json_response(200, doc);
}

web::response get_report(context& ctx, web::request&) {
  const auto run = ctx.rt.last_execution();
  if (!run)
    return no_run();
  return {200, "text/html; charset=utf-8", html_report(to_json(run->run(), run->result()))};
}

}  // namespace amoc::rest

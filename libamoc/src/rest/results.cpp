// The result of the current or last run: the same document `amoc run --out`
// writes, and its HTML report.

#include "amoc/report_html.hpp"
#include "amoc/result_json.hpp"
#include "context.hpp"

namespace amoc::rest {

namespace {

const execution* last_run(context& ctx, std::shared_ptr<execution>& keep) {
  keep = ctx.rt.last_execution();
  return keep.get();
}

web::response no_run() {
  return error_response(404, "no run was started yet (PATCH /execution/start starts one)");
}

}  // namespace

web::response get_result(context& ctx, web::request&) {
  std::shared_ptr<execution> keep;
  const auto* run = last_run(ctx, keep);
  if (!run)
    return no_run();
  auto doc = to_json(run->run(), run->result());
  doc["done"] = run->done();
  return json_response(200, doc);
}

web::response get_report(context& ctx, web::request&) {
  std::shared_ptr<execution> keep;
  const auto* run = last_run(ctx, keep);
  if (!run)
    return no_run();
  return {200, "text/html; charset=utf-8", html_report(to_json(run->run(), run->result()))};
}

}  // namespace amoc::rest

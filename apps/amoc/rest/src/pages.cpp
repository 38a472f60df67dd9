// What a browser reads: the dashboard, the API documentation (Swagger UI on
// /api-docs), and the live event stream the dashboard draws from.

#include <array>

#include "assets.hpp"
#include "context.hpp"

namespace amoc::rest {

namespace {

// Everything a page needs comes from this server (Swagger UI's icons are
// data: URIs in its stylesheet): nothing else may load or frame it.
constexpr const char* policy = "default-src 'self'; script-src 'unsafe-inline' 'self'; "
                               "style-src 'unsafe-inline' 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'";

web::response file(std::string_view content_type, std::string_view body) {
  web::response res{200, std::string{content_type}, std::string{body}};
  res.headers.emplace_back("Content-Security-Policy", policy);
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return res;
}

web::response page(std::string_view html) { return file("text/html; charset=utf-8", html); }

struct ui_file {
  std::string_view name;
  std::string_view content_type;
  const std::string_view& body;
};

// The files /api-docs/ui loads, and the licences that come with them.
const std::array<ui_file, 5> ui_files{{
  {"swagger-ui-bundle.js", "text/javascript; charset=utf-8", assets::swagger_ui_bundle_js},
  {"swagger-ui.css", "text/css; charset=utf-8", assets::swagger_ui_css},
  {"LICENSE", "text/plain; charset=utf-8", assets::LICENSE},
  {"NOTICE", "text/plain; charset=utf-8", assets::NOTICE},
  {"swagger-ui-bundle.js.LICENSE.txt", "text/plain; charset=utf-8",
   assets::swagger_ui_bundle_js_LICENSE_txt},
}};

}  // namespace

web::response get_dashboard(context&, web::request&) { return page(assets::dashboard_html); }

web::response get_api_docs_ui(context&, web::request&) { return page(assets::api_docs_html); }

web::response get_api_docs_file(context&, web::request& req) {
  for (const auto& f : ui_files)
    if (req.params.at(0) == f.name)
      return file(f.content_type, f.body);
  return error_response(404, "no such file of the API explorer: " + req.params.at(0));
}

web::response get_api_docs(context&, web::request&) {
  return {200, "application/json", std::string{assets::openapi_json}};
}

// Server-Sent Events: first the samples kept so far ("history"), then each
// sample as the feed takes it (one a second). The feed writes into the
// stream's sink; no thread waits for a viewer.
web::response get_events(context& ctx, web::request&) {
  web::response res{200, "text/event-stream", {}};
  res.stream = [&ctx](std::shared_ptr<web::stream_sink> sink) {
    ctx.feed.subscribe([sink = std::move(sink)](const std::string& json, bool history) {
      return sink->write(history ? "retry: 2000\nevent: history\ndata: " + json + "\n\n"
                                 : "data: " + json + "\n\n");
    });
  };
  return res;
}

}  // namespace amoc::rest

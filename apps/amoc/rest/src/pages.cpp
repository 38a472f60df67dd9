// What a browser reads: the dashboard, the API documentation, and the live
// event stream the dashboard draws from.

#include "assets.hpp"
#include "context.hpp"

namespace amoc::rest {

namespace {

web::response page(std::string_view html) {
  web::response res{200, "text/html; charset=utf-8", std::string{html}};
  // Everything the page needs is in it: nothing else may load or frame it.
  res.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; script-src 'unsafe-inline' 'self'; "
                           "style-src 'unsafe-inline' 'self'; frame-ancestors 'none'");
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return res;
}

}  // namespace

web::response get_dashboard(context&, web::request&) { return page(assets::dashboard_html); }

web::response get_api_docs_ui(context&, web::request&) { return page(assets::api_docs_html); }

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

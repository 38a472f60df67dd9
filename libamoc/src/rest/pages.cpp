// What a browser reads: the dashboard, the API documentation, and the live
// event stream the dashboard draws from.

#include "assets.hpp"
#include "context.hpp"

namespace amoc::rest {

namespace {

using namespace std::chrono_literals;

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

// Server-Sent Events: first the samples kept so far ("history"), then one
// sample per second; a comment line when there is none, so that a client
// that left is noticed.
web::response get_events(context& ctx, web::request&) {
  web::response res{200, "text/event-stream", {}};
  res.stream = [&ctx](const web::stream_writer& write) {
    // Samples in the history are not sent again: `seq` is its newest.
    auto [history, seq] = ctx.feed.history();
    if (!write("retry: 2000\nevent: history\ndata: " + history + "\n\n"))
      return;
    for (;;) {
      auto s = ctx.feed.next(seq, 2s);
      const bool alive = s ? write("data: " + s->json + "\n\n") : write(": ping\n\n");
      if (!alive || ctx.server->stopping())
        return;
      if (s)
        seq = s->seq;
    }
  };
  return res;
}

}  // namespace amoc::rest

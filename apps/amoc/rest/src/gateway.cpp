// amoc::rest_gateway: options, authentication, routing; the handlers live in
// api.cpp, upload.cpp and pages.cpp.

#include "amoc/rest_gateway.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>

#include "amoc/defaults.hpp"
#include "amoc/error.hpp"
#include "amoc/web_server.hpp"
#include "context.hpp"

namespace amoc {

namespace {

using rest::json;

const rest::route* find_route(std::string_view method, std::string_view path,
                              std::vector<std::string>& params, std::string& allowed) {
  for (const auto& r : rest::routes()) {
    std::vector<std::string> found;
    if (!rest::matches(r.pattern, path, found))
      continue;
    if (method == r.method) {
      params = std::move(found);
      return &r;
    }
    allowed += (allowed.empty() ? "" : ", ") + std::string{r.method};
  }
  return nullptr;
}

std::string random_token() {
  unsigned char bytes[24];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    throw std::runtime_error("rest_gateway: no randomness for the token");
  static constexpr char digits[] = "0123456789abcdef";
  std::string token;
  for (auto b : bytes) {
    token += digits[b >> 4];
    token += digits[b & 15];
  }
  return token;
}

// SHA-256 first, so that the comparison takes the same time whatever the
// lengths and contents are (CRYPTO_memcmp needs equal lengths).
bool same_secret(std::string_view given, std::string_view expected) {
  unsigned char a[EVP_MAX_MD_SIZE], b[EVP_MAX_MD_SIZE];
  unsigned int na = 0, nb = 0;
  if (EVP_Digest(given.data(), given.size(), a, &na, EVP_sha256(), nullptr) != 1
      || EVP_Digest(expected.data(), expected.size(), b, &nb, EVP_sha256(), nullptr) != 1)
    return false;
  return na == nb && CRYPTO_memcmp(a, b, na) == 0;
}

bool authorized(const web::request& req, const std::string& token) {
  auto value = req.header("authorization");
  constexpr std::string_view scheme = "bearer ";
  if (value.size() <= scheme.size())
    return false;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(value[i])) != scheme[i])
      return false;
  value.remove_prefix(scheme.size());
  return same_secret(value, token);
}

web::response unauthorized(const web::request& req) {
  auto res = rest::error_response(
    401, req.header("authorization").empty()
           ? "this request changes the run: it needs the header 'Authorization: Bearer TOKEN'"
           : "the bearer token is wrong");
  res.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"amoc\"");
  return res;
}

}  // namespace

struct rest_gateway::impl {
  impl(runtime& rt, options o) : ctx(rt, std::move(o)) {}

  web::response dispatch(web::request& req) { return decorated(route(req)); }

  // Before the body is read (on the server's I/O thread): requests that are
  // refused anyway never send it, and only a request with the token may send
  // a large one.
  web::admission screen(const web::request& head) {
    if (head.method == "OPTIONS" && !ctx.opts.cors_origin.empty())
      return {std::nullopt, defaults::rest::max_read_body};
    std::vector<std::string> params;
    auto found = lookup(head, params);
    if (found.refusal)
      return {decorated(std::move(*found.refusal)), 0};
    return {std::nullopt,
            found.route->mutating ? ctx.opts.max_body_bytes : defaults::rest::max_read_body};
  }

  web::response route(web::request& req) {
    if (req.method == "OPTIONS" && !ctx.opts.cors_origin.empty())
      return preflight();
    auto found = lookup(req, req.params);
    if (found.refusal)
      return std::move(*found.refusal);
    return found.route->handle(ctx, req);
  }

  struct found_route {
    const rest::route* route = nullptr;
    std::optional<web::response> refusal;  ///< no such route, or no token
  };

  found_route lookup(const web::request& req, std::vector<std::string>& params) const {
    // HEAD is GET without the body (the server sends the length only).
    const std::string method = req.method == "HEAD" ? "GET" : req.method;
    std::string allowed;
    const auto* r = find_route(method, req.path, params, allowed);
    if (!r && !allowed.empty()) {
      auto res = rest::error_response(405, req.method + " is not allowed on " + req.path);
      res.headers.emplace_back("Allow", allowed);
      return {nullptr, std::move(res)};
    }
    if (!r)
      return {nullptr,
              rest::error_response(404, "no such resource: " + req.path + " (see /api-docs)")};
    if (r->mutating && !authorized(req, ctx.opts.token))
      return {r, unauthorized(req)};
    return {r, std::nullopt};
  }

  web::response decorated(web::response res) const {
    if (!ctx.opts.cors_origin.empty()) {
      res.headers.emplace_back("Access-Control-Allow-Origin", ctx.opts.cors_origin);
      res.headers.emplace_back("Vary", "Origin");
    }
    return res;
  }

  static web::response preflight() {
    web::response res{204, "text/plain", {}};
    res.headers.emplace_back("Access-Control-Allow-Methods", "GET, PUT, PATCH, OPTIONS");
    res.headers.emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type");
    return res;
  }

  rest::context ctx;
  bool generated = false;
  std::unique_ptr<web::server> server;
};

const std::vector<config::variable>& rest_gateway::variables() {
  static const std::vector<config::variable> vars{
    {"rest_port", "port of the REST gateway and dashboard", "4000", config::type::integer,
     config::rules::in_range(0, 65535)},
    {"rest_bind", "address the REST gateway listens on", "127.0.0.1", config::type::string, {}},
    {"rest_token",
     "bearer token for mutating REST requests (empty: generated at start)",
     "",
     config::type::string,
     {}},
    {"rest_max_body", "largest REST request body in bytes (uploaded sources too)", "1048576",
     config::type::integer, config::rules::positive()},
    {"rest_max_connections",
     "most open connections to the REST gateway (past it an idle one makes room, else 503)",
     std::to_string(defaults::web::max_connections), config::type::integer,
     config::rules::in_range(1, 16384)},
    {"rest_compile_timeout", "longest compile of an uploaded scenario", "5m",
     config::type::duration, config::rules::positive()},
    {"rest_cors_origin",
     "Access-Control-Allow-Origin for the REST API (empty: no CORS)",
     "",
     config::type::string,
     {}},
  };
  return vars;
}

caf::expected<rest_gateway::options> rest_gateway::options::from(const config::store& store) {
  options opts;
  try {
    // Only what is set: the token and CORS origin have no default.
    std::vector<config::variable> given;
    for (const auto& v : variables())
      if (store.lookup(v.name))
        given.push_back(v);
    for (const auto& problem : store.validate(given))
      return make_error(ec::invalid_config, problem);
    opts.port = static_cast<std::uint16_t>(store.get<std::int64_t>("rest_port", 4000));
    opts.bind = store.get<std::string>("rest_bind", "127.0.0.1");
    opts.token = store.get<std::string>("rest_token", "");
    opts.max_body_bytes =
      static_cast<std::size_t>(store.get<std::int64_t>("rest_max_body", 1 << 20));
    opts.max_connections = static_cast<std::size_t>(store.get<std::int64_t>(
      "rest_max_connections", static_cast<std::int64_t>(defaults::web::max_connections)));
    opts.compile_timeout = std::chrono::duration_cast<std::chrono::seconds>(
      store.get<duration>("rest_compile_timeout", std::chrono::minutes{5}));
    opts.cors_origin = store.get<std::string>("rest_cors_origin", "");
  } catch (const config::error& e) {
    return make_error(ec::invalid_config, e.what());
  }
  return opts;
}

caf::expected<std::unique_ptr<rest_gateway>> rest_gateway::start(runtime& rt, options opts) {
  auto i = std::make_unique<impl>(rt, std::move(opts));
  auto& o = i->ctx.opts;
  if (o.token.empty()) {
    o.token = random_token();
    i->generated = true;
  }
  web::server::options server_opts;
  server_opts.address = o.bind;
  server_opts.port = o.port;
  server_opts.max_body_bytes = o.max_body_bytes;
  server_opts.max_connections = o.max_connections;
  server_opts.screen = [raw = i.get()](const web::request& head) { return raw->screen(head); };
  auto server = web::server::start(
    server_opts, [raw = i.get()](web::request& req) { return raw->dispatch(req); });
  if (!server)
    return make_error(ec::invalid_config, "rest_port: " + render(server.error()));
  i->server = std::move(*server);
  i->ctx.feed.start();
  return std::unique_ptr<rest_gateway>{new rest_gateway{std::move(i)}};
}

rest_gateway::rest_gateway(std::unique_ptr<impl> i) : impl_(std::move(i)) {}

// The server first: its threads use the context, and event streams end
// before the feed that writes to them goes.
rest_gateway::~rest_gateway() { impl_->server.reset(); }

std::uint16_t rest_gateway::port() const noexcept { return impl_->server->port(); }

const std::string& rest_gateway::token() const noexcept { return impl_->ctx.opts.token; }

bool rest_gateway::token_generated() const noexcept { return impl_->generated; }

std::vector<std::pair<std::string, std::string>> rest_gateway::routes() {
  std::vector<std::pair<std::string, std::string>> result;
  for (const auto& r : rest::routes())
    result.emplace_back(r.method, r.pattern);
  return result;
}

}  // namespace amoc

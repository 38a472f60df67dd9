// http::options from the run's config: the `http_*` variables.

#include "amoc/http/client.hpp"
#include "amoc/config_memo.hpp"
#include "amoc/source_address.hpp"

namespace amoc::http {

namespace {

// What every user reads the same: once per thread while the config stays
// as it is (config_memo), not eight lookups per user.
struct shared_options {
  options base;  // without the source address
  std::vector<std::string> source_addresses;
};

shared_options read_shared(const user& u) {
  const options d;
  shared_options shared;
  auto& o = shared.base;
  o.connect_timeout = u.config<duration>("http_connect_timeout", d.connect_timeout);
  o.request_timeout = u.config<duration>("http_request_timeout", d.request_timeout);
  o.verify_tls = u.config<bool>("http_verify_tls", d.verify_tls);
  // Optional: without it the system's CA certificates verify the server.
  o.ca_file = u.config<std::string>("http_ca_file", d.ca_file);
  o.max_redirects = static_cast<int>(u.config<std::int64_t>("http_max_redirects", d.max_redirects));
  o.keep_alive = u.config<bool>("http_keep_alive", d.keep_alive);
  o.user_agent = u.config<std::string>("http_user_agent", d.user_agent);
  shared.source_addresses = u.config<std::vector<std::string>>("http_source_addresses", {});
  return shared;
}

}  // namespace

options options::from(const user& u) {
  const auto& shared = config_memo(u, [](const user& reader) { return read_shared(reader); });
  options o = shared.base;
  // Users spread over the local addresses by id (more ephemeral ports).
  o.source_address = pick_source_address(shared.source_addresses, u.id());
  return o;
}

std::vector<config::variable> config_variables(std::vector<config::variable> more) {
  using config::type;
  namespace rules = config::rules;
  const options d;
  std::vector<config::variable> vars{
    {"http_connect_timeout", "TCP connect and TLS handshake of a new connection",
     amoc::to_string(d.connect_timeout), type::duration, rules::positive()},
    {"http_request_timeout", "a whole request, until the last byte of the response",
     amoc::to_string(d.request_timeout), type::duration, rules::positive()},
    {"http_verify_tls", "check the server's certificate and name", "false", type::boolean,
     std::nullopt},
    {"http_max_redirects", "redirects to follow (0: return them as responses)",
     std::to_string(d.max_redirects), type::integer, rules::in_range(0, 100)},
    {"http_keep_alive", "reuse a user's connection between requests", "true", type::boolean,
     std::nullopt},
    {"http_user_agent", "User-Agent header", d.user_agent, type::string, std::nullopt},
    {"http_source_addresses", "local addresses to connect from, picked by user id", "[]",
     type::list, std::nullopt},
    {"http_ca_file", "PEM file of the CAs that verify servers (unset: the system's)", "",
     type::string, std::nullopt, config::update_policy::read_only(), true},
  };
  for (auto& v : more)
    vars.push_back(std::move(v));
  return vars;
}

}  // namespace amoc::http

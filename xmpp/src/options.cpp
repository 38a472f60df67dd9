// xmpp::options from the run's config: the `xmpp_*` variables.

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "amoc/config_memo.hpp"
#include "amoc/source_address.hpp"
#include "amoc/xmpp/client.hpp"

namespace amoc::xmpp {

namespace {

constexpr std::array<std::pair<std::string_view, transport>, 6> transports{{
  {"tcp", transport::tcp},
  {"tls", transport::tls},
  {"websocket", transport::websocket},
  {"websocket_tls", transport::websocket_tls},
  {"bosh", transport::bosh},
  {"bosh_tls", transport::bosh_tls},
}};

constexpr std::array<std::pair<std::string_view, starttls>, 3> starttls_modes{{
  {"off", starttls::off},
  {"optional", starttls::optional},
  {"required", starttls::required},
}};

template <class Enum, std::size_t N>
Enum parse_choice(const std::array<std::pair<std::string_view, Enum>, N>& choices, const char* key,
                  const std::string& text) {
  for (const auto& [name, value] : choices)
    if (name == text)
      return value;
  std::string known;
  for (const auto& [name, value] : choices)
    known += (known.empty() ? "" : ", ") + std::string{name};
  throw config::error(key, "\"" + text + "\" is not one of " + known);
}

template <class Enum, std::size_t N>
std::string name_of(const std::array<std::pair<std::string_view, Enum>, N>& choices, Enum e) {
  for (const auto& [name, value] : choices)
    if (value == e)
      return std::string{name};
  return {};
}

template <class Enum, std::size_t N>
std::vector<std::string> names(const std::array<std::pair<std::string_view, Enum>, N>& choices) {
  std::vector<std::string> out;
  for (const auto& [name, value] : choices)
    out.emplace_back(name);
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : ",") + item;
  return out;
}

}  // namespace

const char* to_string(transport t) noexcept {
  for (const auto& [name, value] : transports)
    if (value == t)
      return name.data();
  return "unknown";
}

namespace {

// What options::from reads from the config, the same for every user of a run.
struct shared_options {
  connection_settings base;
  std::string username_prefix;
  std::string password_prefix;
  std::vector<std::string> source_addresses;
};

shared_options read_shared(const user& u) {
  const connection_settings d;
  shared_options shared;
  auto& o = shared.base;
  o.host = u.config<std::string>("xmpp_host", d.host);
  const auto port = u.config<std::int64_t>("xmpp_port", d.port);
  if (port < 1 || port > 65535)
    throw config::error("xmpp_port", std::to_string(port) + " is not a TCP port");
  o.port = static_cast<std::uint16_t>(port);
  o.domain = u.config<std::string>("xmpp_domain", d.domain);
  shared.username_prefix = u.config<std::string>("xmpp_username_prefix", "user_");
  shared.password_prefix = u.config<std::string>("xmpp_password_prefix", "password_");
  o.resource = u.config<std::string>("xmpp_resource", d.resource);
  o.transport =
    parse_choice(transports, "xmpp_transport",
                 u.config<std::string>("xmpp_transport", name_of(transports, d.transport)));
  o.starttls =
    parse_choice(starttls_modes, "xmpp_starttls",
                 u.config<std::string>("xmpp_starttls", name_of(starttls_modes, d.starttls)));
  o.verify_tls = u.config<bool>("xmpp_verify_tls", d.verify_tls);
  o.sasl_mechanisms =
    u.config<std::vector<std::string>>("xmpp_sasl_mechanisms", d.sasl_mechanisms);
  shared.source_addresses = u.config<std::vector<std::string>>("xmpp_source_addresses", {});
  o.websocket_path = u.config<std::string>("xmpp_websocket_path", d.websocket_path);
  o.bosh_path = u.config<std::string>("xmpp_bosh_path", d.bosh_path);
  const auto hold = u.config<std::int64_t>("xmpp_bosh_hold", d.bosh_hold);
  if (hold < 1 || hold > 8)
    throw config::error("xmpp_bosh_hold", std::to_string(hold) + " is not in 1..8");
  o.bosh_hold = static_cast<unsigned>(hold);
  o.bosh_wait = u.config<duration>("xmpp_bosh_wait", d.bosh_wait);
  if (o.bosh_wait < 1s || o.bosh_wait > 3600s)
    throw config::error("xmpp_bosh_wait", amoc::to_string(o.bosh_wait) + " is not in 1s..1h");
  o.connect_timeout = u.config<duration>("xmpp_connect_timeout", d.connect_timeout);
  o.step_timeout = u.config<duration>("xmpp_step_timeout", d.step_timeout);
  o.stream_management = u.config<bool>("xmpp_stream_management", d.stream_management);
  o.stream_resumption = u.config<bool>("xmpp_stream_resumption", d.stream_resumption);
  o.pipelining = u.config<bool>("xmpp_pipelining", d.pipelining);
  const auto unread =
    u.config<std::int64_t>("xmpp_max_unread_bytes", static_cast<std::int64_t>(d.max_unread_bytes));
  if (unread < 1)
    throw config::error("xmpp_max_unread_bytes", std::to_string(unread) + " is not positive");
  o.max_unread_bytes = static_cast<std::size_t>(unread);
  return shared;
}

// Twenty-odd lookups, each reading the environment, were four fifths of
// what a user of xmpp_one_to_one did before connecting (callgrind: 56,000
// instructions): read once per thread while the config stays as it is.
const shared_options& shared_of(const user& u) {
  return config_memo(u, [](const user& reader) { return read_shared(reader); });
}

}  // namespace

options options::from(const user& u) {
  const auto& shared = shared_of(u);
  options o;
  static_cast<connection_settings&>(o) = shared.base;
  // A users file names every account; without one user N is user_N / password_N.
  if (u.has_users_file()) {
    o.username = std::string{u.param("username")};
    o.password = std::string{u.param("password")};
  } else {
    const auto id = std::to_string(u.id());
    o.username = shared.username_prefix + id;
    o.password = shared.password_prefix + id;
  }
  // Users spread over the local addresses by id (one node, more ephemeral ports).
  o.source_address = pick_source_address(shared.source_addresses, u.id());
  return o;
}

std::string username_of(const user& u, std::uint64_t id) {
  if (u.has_users_file())
    return std::string{u.username_of(id)};
  return shared_of(u).username_prefix + std::to_string(id);
}

std::string pair_partner_jid(const user& u, const std::string& domain) {
  const auto id = u.id();
  try {
    return username_of(u, id % 2 ? id + 1 : id - 1) + "@" + domain;
  } catch (const config::error& e) {
    u.warning() << "no partner to write to: " << e.what();
    return {};
  }
}

std::vector<config::variable> config_variables(std::vector<config::variable> more) {
  using config::type;
  namespace rules = config::rules;
  const options d;
  std::vector<config::variable> vars{
    {"xmpp_host", "XMPP server address or name", d.host, type::string, std::nullopt},
    {"xmpp_port", "XMPP server port", std::to_string(d.port), type::integer,
     rules::in_range(1, 65535)},
    {"xmpp_domain", "XMPP domain users log in to", d.domain, type::string, std::nullopt},
    {"xmpp_username_prefix", "user N logs in as <prefix>N (without a users_file)", "user_",
     type::string, std::nullopt},
    {"xmpp_password_prefix", "user N's password is <prefix>N (without a users_file)", "password_",
     type::string, std::nullopt},
    {"xmpp_resource", "resource to bind", d.resource, type::string, std::nullopt},
    {"xmpp_transport",
     "tcp, tls (direct TLS, XEP-0368), websocket, websocket_tls, bosh or bosh_tls (XEP-0206)",
     name_of(transports, d.transport), type::string, rules::one_of(names(transports))},
    {"xmpp_starttls", "STARTTLS on tcp: off, optional or required",
     name_of(starttls_modes, d.starttls), type::string, rules::one_of(names(starttls_modes))},
    {"xmpp_verify_tls", "check the server's certificate", "false", type::boolean, std::nullopt},
    {"xmpp_sasl_mechanisms", "SASL mechanisms in order of preference", join(d.sasl_mechanisms),
     type::list, std::nullopt},
    {"xmpp_source_addresses", "local addresses to connect from, picked by user id", "[]",
     type::list, std::nullopt},
    {"xmpp_websocket_path", "WebSocket endpoint path", d.websocket_path, type::string,
     std::nullopt},
    {"xmpp_bosh_path", "BOSH endpoint path (ejabberd /bosh, Prosody /http-bind)", d.bosh_path,
     type::string, std::nullopt},
    {"xmpp_bosh_hold", "BOSH requests the server may hold to push stanzas (XEP-0124 hold)",
     std::to_string(d.bosh_hold), type::integer, rules::in_range(1, 8)},
    {"xmpp_bosh_wait", "longest time the BOSH server may hold a request (XEP-0124 wait)",
     amoc::to_string(d.bosh_wait), type::duration, std::nullopt},
    {"xmpp_connect_timeout", "TCP/TLS connection timeout", amoc::to_string(d.connect_timeout),
     type::duration, rules::positive()},
    {"xmpp_step_timeout", "timeout of each login step", amoc::to_string(d.step_timeout),
     type::duration, rules::positive()},
    {"xmpp_stream_management", "enable XEP-0198 stream management when offered", "false",
     type::boolean, std::nullopt},
    {"xmpp_stream_resumption", "ask for resumable XEP-0198 sessions", "false", type::boolean,
     std::nullopt},
    {"xmpp_pipelining", "log in with fewer round trips (XEP-0305 pipelining)", "false",
     type::boolean, std::nullopt},
    {"xmpp_max_unread_bytes",
     "bytes of received stanzas a user may leave unread before its connection fails (phase "
     "receive)",
     std::to_string(d.max_unread_bytes), type::integer, rules::positive()},
  };
  std::move(more.begin(), more.end(), std::back_inserter(vars));
  return vars;
}

}  // namespace amoc::xmpp

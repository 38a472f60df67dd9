// xmpp_mixed_transports: users chat in pairs, as in xmpp_one_to_one, each
// over the transport its id gives it.
//
// `transports` lists the transports in use (tcp: TCP with STARTTLS as
// xmpp_starttls says, tls: direct TLS, websocket, websocket_tls, bosh,
// bosh_tls). Without `transport_shares` user N takes transport (N-1) mod k,
// round robin; with shares (one integer per transport, e.g. [2, 1, 1]) the
// ids are dealt out in runs of those sizes, so the mix holds for any id range.
// `transport_ports` gives each transport's port (default: 5222/xmpp_port,
// 5223, 5280 plain HTTP, 5443 HTTPS, as scripts/xmpp-server serves them); the
// paths come from xmpp_websocket_path and xmpp_bosh_path.
//
// Partners are 1 with 2, 3 with 4, ...: with round robin over an even number
// of transports they chat across transports. Beside the client's xmpp.*
// metrics, each transport T has its own: xmpp.transport.T.logins,
// .login (login time), .messages_sent, .messages_received and .ttd.

#include <numeric>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "amoc/scenario.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/stanzas.hpp"

namespace {

namespace xmpp = amoc::xmpp;
using clock_type = std::chrono::steady_clock;

struct transport_kind {
  std::string_view name;
  xmpp::transport transport;
  std::uint16_t default_port;  // 0: xmpp_port
};

constexpr transport_kind known_transports[] = {
  {"tcp", xmpp::transport::tcp, 0},
  {"tls", xmpp::transport::tls, 5223},
  {"websocket", xmpp::transport::websocket, 5280},
  {"websocket_tls", xmpp::transport::websocket_tls, 5443},
  {"bosh", xmpp::transport::bosh, 5280},
  {"bosh_tls", xmpp::transport::bosh_tls, 5443},
};

std::string known_names() {
  std::string out;
  for (const auto& k : known_transports)
    out += (out.empty() ? "" : ", ") + std::string{k.name};
  return out;
}

// One transport of the mix, with its metrics.
struct lane {
  xmpp::transport transport;
  std::uint16_t port;
  amoc::metrics::counter* logins;
  amoc::metrics::histogram* login;
  amoc::metrics::counter* sent;
  amoc::metrics::counter* received;
  amoc::metrics::histogram* ttd;
};

std::uint64_t parse_count(const std::string& key, const std::string& text) {
  std::size_t used = 0;
  long long value = -1;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || value < 1 || value > 1'000'000)
    throw amoc::config::error(key, "\"" + text + "\" is not a share from 1 to 1000000");
  return static_cast<std::uint64_t>(value);
}

bool is_known(const std::string& name) {
  for (const auto& k : known_transports)
    if (k.name == name)
      return true;
  return false;
}

bool is_number_in(const std::string& text, long long low, long long high) {
  std::size_t used = 0;
  try {
    const auto value = std::stoll(text, &used);
    return used == text.size() && value >= low && value <= high;
  } catch (const std::exception&) {
    return false;
  }
}

bool is_share(const std::string& text) { return is_number_in(text, 1, 1'000'000); }
bool is_port(const std::string& text) { return is_number_in(text, 1, 65535); }

// A rule on every element of a list (`amoc check` refuses the run file before
// any user starts).
amoc::config::rule each(std::string description, bool (*ok)(const std::string&)) {
  return {std::move(description), [ok](const amoc::config::json& v) {
            if (!v.is_array())
              return false;
            for (const auto& e : v)
              if (!e.is_string() || !ok(e.get<std::string>()))
                return false;
            return true;
          }};
}

class xmpp_mixed_transports final : public amoc::scenario {
public:
  void init() override {
    interval_ = config<amoc::duration>("message_interval");
    count_ = config<std::int64_t>("message_count");
    linger_ = config<amoc::duration>("linger");
    const auto names = config<std::vector<std::string>>("transports");
    const auto ports = config<std::vector<std::string>>("transport_ports");
    const auto shares = config<std::vector<std::string>>("transport_shares");
    if (names.empty())
      throw amoc::config::error("transports", "names no transport");
    if (!ports.empty() && ports.size() != names.size())
      throw amoc::config::error("transport_ports", "has " + std::to_string(ports.size())
                                                     + " ports for " + std::to_string(names.size())
                                                     + " transports");
    if (!shares.empty() && shares.size() != names.size())
      throw amoc::config::error("transport_shares",
                                "has " + std::to_string(shares.size()) + " shares for "
                                  + std::to_string(names.size()) + " transports");
    const auto tcp_port = static_cast<std::uint16_t>(config<std::int64_t>("xmpp_port"));
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto& kind = kind_of(names[i]);
      const auto port =
        ports.empty() ? (kind.default_port ? kind.default_port : tcp_port) : parse_port(ports[i]);
      lanes_.push_back(make_lane(kind, port));
      share_ends_.push_back((share_ends_.empty() ? 0 : share_ends_.back())
                            + (shares.empty() ? 1 : parse_count("transport_shares", shares[i])));
    }
  }

  amoc::task<> start(amoc::user& u) override {
    auto& my = lane_of(u.id());
    auto opts = xmpp::options::from(u);
    opts.transport = my.transport;
    opts.port = my.port;
    xmpp::client client{u, std::move(opts)};
    const auto login_started = clock_type::now();
    co_await client.connect();
    my.login->record(clock_type::now() - login_started);
    my.logins->add();
    client.send(xmpp::stanzas::presence());

    const auto partner = xmpp::pair_partner_jid(u, client.settings().domain);
    std::int64_t received = 0;
    for (std::int64_t i = 0; i < count_ && !u.stopping() && !partner.empty(); ++i) {
      received +=
        co_await receive_chats(client, my, clock_type::now() + interval_, count_ - received);
      client.send(xmpp::stanzas::chat_with_timestamp(partner, "hello from " + client.jid().full()));
      my.sent->add();
    }
    if (!u.stopping())
      received +=
        co_await receive_chats(client, my, clock_type::now() + linger_, count_ - received);
    co_await client.stop();
  }

private:
  static const transport_kind& kind_of(const std::string& name) {
    for (const auto& k : known_transports)
      if (k.name == name)
        return k;
    throw amoc::config::error("transports", "\"" + name + "\" is not one of " + known_names());
  }

  static std::uint16_t parse_port(const std::string& text) {
    const auto value = parse_count("transport_ports", text);
    if (value > 65535)
      throw amoc::config::error("transport_ports", text + " is not a TCP port");
    return static_cast<std::uint16_t>(value);
  }

  lane make_lane(const transport_kind& kind, std::uint16_t port) {
    const auto prefix = "xmpp.transport." + std::string{kind.name} + ".";
    auto& m = metrics();
    return {kind.transport,
            port,
            &m.counter(prefix + "logins"),
            &m.histogram(prefix + "login"),
            &m.counter(prefix + "messages_sent"),
            &m.counter(prefix + "messages_received"),
            &m.histogram(prefix + "ttd")};
  }

  // Ids dealt out in runs of the shares: with shares [2, 1], ids 1, 2 take
  // the first transport, 3 the second, 4, 5 the first again.
  lane& lane_of(std::uint64_t id) {
    const auto slot = (id - 1) % share_ends_.back();
    std::size_t i = 0;
    while (slot >= share_ends_[i])
      ++i;
    return lanes_[i];
  }

  // Reads what arrives until `until` or until `wanted` chats came; counts
  // them and their time to delivery on the user's transport.
  static amoc::task<std::int64_t> receive_chats(xmpp::client& c, lane& my,
                                                clock_type::time_point until, std::int64_t wanted) {
    std::int64_t got = 0;
    while (got < wanted && clock_type::now() < until) {
      auto s = co_await c.receive(until - clock_type::now());
      if (!s || !xmpp::is::chat()(*s))
        continue;
      ++got;
      my.received->add();
      if (auto sent = xmpp::stanzas::sent_timestamp(*s))
        my.ttd->record(std::chrono::duration_cast<amoc::duration>(s->received_at() - *sent));
    }
    co_return got;
  }

  amoc::duration interval_{};
  std::int64_t count_ = 0;
  amoc::duration linger_{};
  std::vector<lane> lanes_;
  std::vector<std::uint64_t> share_ends_;  // cumulative shares, one per lane
};

}  // namespace

AMOC_REGISTER_SCENARIO(
  xmpp_mixed_transports, "xmpp_mixed_transports",
  "Users chat in pairs over TCP+STARTTLS, TLS, WebSocket and BOSH, spread by id or by shares, "
  "with metrics per transport.",
  (xmpp::config_variables({
    {"transports",
     "transports users spread over: tcp, tls, websocket, websocket_tls, bosh, bosh_tls",
     "tcp,tls,websocket,bosh", amoc::config::type::list,
     each("a list of tcp, tls, websocket, websocket_tls, bosh, bosh_tls", is_known)},
    {"transport_shares", "users per transport in each run of ids ([] : one each, round robin)",
     "[]", amoc::config::type::list, each("a list of integers from 1 to 1000000", is_share)},
    {"transport_ports", "each transport's port ([] : 5222/xmpp_port, 5223, 5280, 5443)", "[]",
     amoc::config::type::list, each("a list of TCP ports", is_port)},
    {"message_interval", "time between two messages of a user", "1s", amoc::config::type::duration,
     amoc::config::rules::positive()},
    {"message_count", "messages each user sends per iteration", "10", amoc::config::type::integer,
     amoc::config::rules::non_negative()},
    {"linger", "how long a user waits for its partner's last messages", "5s",
     amoc::config::type::duration, amoc::config::rules::non_negative()},
  })));

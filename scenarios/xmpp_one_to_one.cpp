// xmpp_one_to_one: users chat in pairs (1 with 2, 3 with 4, ...).
//
// Each user logs in as user_<id> / password_<id> (or with its row of the
// users_file: row N is user N, and the partner's JID comes from the partner's
// row), says it is available,
// sends `message_count` chat messages to its partner, one every
// `message_interval`, reads what its partner sends meanwhile, waits (at most
// `linger`) for the partner's last messages, and logs out. The XMPP client
// counts messages sent and received and records their time to delivery
// (xmpp.ttd) from the timestamp each message carries.

#include "amoc/scenario.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/count_received.hpp"
#include "amoc/xmpp/stanzas.hpp"

namespace {

namespace xmpp = amoc::xmpp;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

class xmpp_one_to_one final : public amoc::scenario {
public:
  void init() override {
    interval_ = config<amoc::duration>("message_interval");
    count_ = config<std::int64_t>("message_count");
    linger_ = config<amoc::duration>("linger");
  }

  amoc::task<> start(amoc::user& u) override {
    xmpp::client client{u, xmpp::options::from(u)};
    co_await client.connect();
    client.send(xmpp::stanzas::presence());

    const auto partner = xmpp::pair_partner_jid(u, client.settings().domain);
    std::int64_t received = 0;
    for (std::int64_t i = 0; i < count_ && !u.stopping() && !partner.empty(); ++i) {
      // Read first: a message that reaches the partner while its login is
      // still under way may be stored offline after its queue was delivered.
      received +=
        co_await xmpp::count_received(client, clock_type::now() + interval_, count_ - received);
      client.send(xmpp::stanzas::chat_with_timestamp(partner, "hello from " + client.jid().full()));
    }
    // The partner started later, or is slower: wait for its last messages.
    if (!u.stopping())
      received +=
        co_await xmpp::count_received(client, clock_type::now() + linger_, count_ - received);
    co_await client.stop();
  }

private:
  amoc::duration interval_{};
  std::int64_t count_ = 0;
  amoc::duration linger_{};
};

}  // namespace

AMOC_REGISTER_SCENARIO(
  xmpp_one_to_one, "xmpp_one_to_one",
  "Users chat in pairs: each sends message_count messages, one every message_interval.",
  (xmpp::config_variables({
    {"message_interval", "time between two messages of a user", "1s", amoc::config::type::duration,
     amoc::config::rules::positive()},
    {"message_count", "messages each user sends per iteration", "10", amoc::config::type::integer,
     amoc::config::rules::non_negative()},
    {"linger", "how long a user waits for its partner's last messages", "5s",
     amoc::config::type::duration, amoc::config::rules::non_negative()},
  })));

// xmpp_conversations: users are paired into conversations as they log in.
//
// Each user logs in as user_<id> / password_<id> (or with its row of the
// users_file), says it is available and
// joins the coordinator "conversations", which pairs users in the order they
// arrive (amoc::coordinator, groups of 2, one pair action). Paired users send
// each other `message_count` chat messages, one every `message_interval`,
// wait (at most `linger`) for the peer's last ones and log out. A user left
// without a peer for `pairing_timeout` (an odd one out) logs out at once.
// Counts `conversations.paired` and `conversations.alone`.

#include <memory>
#include <string>

#include "amoc/coordinator.hpp"
#include "amoc/scenario.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/count_received.hpp"
#include "amoc/xmpp/stanzas.hpp"

namespace {

namespace xmpp = amoc::xmpp;
namespace coordinator = amoc::coordinator;
using clock_type = std::chrono::steady_clock;

// What a user hands the coordinator: who it is, and where its peer goes.
struct conversation {
  std::string me;
  std::string peer;  // set by the pair action; empty for a user left alone
};

using conversation_ptr = std::shared_ptr<conversation>;

class xmpp_conversations final : public amoc::scenario {
public:
  void init() override {
    interval_ = config<amoc::duration>("message_interval");
    count_ = config<std::int64_t>("message_count");
    linger_ = config<amoc::duration>("linger");
    paired_ = &metrics().counter("conversations.paired");
    alone_ = &metrics().counter("conversations.alone");
    // The pair action runs on the thread of the second user of the pair; the
    // first reads its peer only after the coordinator resumed it.
    auto pair_up =
      coordinator::on_pair([](coordinator::event, coordinator::member& a, coordinator::member* b) {
        if (!b)
          return;
        auto first = std::any_cast<conversation_ptr>(a.data);
        auto second = std::any_cast<conversation_ptr>(b->data);
        first->peer = second->me;
        second->peer = first->me;
      });
    coordinator::start("conversations", {coordinator::item::of(2, pair_up)},
                       config<amoc::duration>("pairing_timeout"));
  }

  amoc::task<> start(amoc::user& u) override {
    xmpp::client client{u, xmpp::options::from(u)};
    co_await client.connect();
    client.send(xmpp::stanzas::presence());
    auto talk = std::make_shared<conversation>(conversation{std::string{client.jid().bare()}, {}});
    co_await coordinator::add(u, "conversations", talk);
    if (talk->peer.empty()) {
      alone_->add();
    } else {
      paired_->add();
      std::int64_t received = 0;
      for (std::int64_t i = 0; i < count_ && !u.stopping(); ++i) {
        received +=
          co_await xmpp::count_received(client, clock_type::now() + interval_, count_ - received);
        client.send(xmpp::stanzas::chat_with_timestamp(talk->peer, "hi from " + talk->me));
      }
      if (!u.stopping())
        received +=
          co_await xmpp::count_received(client, clock_type::now() + linger_, count_ - received);
    }
    co_await client.stop();
  }

private:
  amoc::duration interval_{};
  std::int64_t count_ = 0;
  amoc::duration linger_{};
  amoc::metrics::counter* paired_ = nullptr;
  amoc::metrics::counter* alone_ = nullptr;
};

}  // namespace

AMOC_REGISTER_SCENARIO(xmpp_conversations, "xmpp_conversations",
                       "Users are paired as they log in (coordinator) and chat with their peer.",
                       (xmpp::config_variables({
                         {"message_interval", "time between two messages of a user", "1s",
                          amoc::config::type::duration, amoc::config::rules::positive()},
                         {"message_count", "messages each user sends its peer", "10",
                          amoc::config::type::integer, amoc::config::rules::non_negative()},
                         {"linger", "how long a user waits for its peer's last messages", "5s",
                          amoc::config::type::duration, amoc::config::rules::non_negative()},
                         {"pairing_timeout", "how long a user waits for a peer before it gives up",
                          "10s", amoc::config::type::duration, amoc::config::rules::positive()},
                       })));

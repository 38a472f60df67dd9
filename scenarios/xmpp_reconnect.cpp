// xmpp_reconnect: a reconnect storm with stream resumption (XEP-0198).
//
// Users chat in pairs (1 with 2, 3 with 4, ...; partners named as in
// xmpp_one_to_one) with stream management and resumption on. Each sends its
// partner `message_count` messages, one every `message_interval`, with bodies
// "seq 1", "seq 2", ... After every `drop_every` messages it drops its
// connection abruptly (no stream close: the TCP connection just ends), waits
// `gap` and reconnects, resuming the session (XEP-0198 §5): the server
// re-sends what it had not seen acknowledged, and the user re-sends its own
// messages that the server's `h` says it never got. When the server refuses
// the resumption the user logs in afresh (counted; messages in flight may then
// be lost). Every receiver checks the sequence numbers from its partner: a
// number beyond the next one expected counts the missing ones as lost, a number
// already passed counts as a duplicate, and at the end (after at most
// `linger`) the numbers that never came count as lost.

#include <charconv>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "amoc/scenario.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "amoc/xmpp/steps.hpp"

namespace {

namespace xmpp = amoc::xmpp;
using clock_type = std::chrono::steady_clock;

constexpr std::string_view body_prefix = "seq ";

std::string body_of(std::int64_t seq) { return std::string{body_prefix} + std::to_string(seq); }

// The sequence number in a body "seq N", or 0.
std::int64_t seq_of(std::string_view body) {
  if (!body.starts_with(body_prefix))
    return 0;
  body.remove_prefix(body_prefix.size());
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), n);
  return ec == std::errc{} && end == body.data() + body.size() && n > 0 ? n : 0;
}

// A message sent on the current session: its place in the XEP-0198 count of
// stanzas sent, to know after a resumption whether the server got it.
struct sent_message {
  std::uint32_t index;
  std::int64_t seq;
};

// One user's side of its conversation.
struct conversation {
  std::string partner;               // bare JID
  std::vector<sent_message> unsure;  // sent since the last resumption
  std::int64_t next_expected = 1;    // from the partner
};

class xmpp_reconnect final : public amoc::scenario {
public:
  void init() override {
    interval_ = config<amoc::duration>("message_interval");
    count_ = config<std::int64_t>("message_count");
    drop_every_ = config<std::int64_t>("drop_every");
    gap_ = config<amoc::duration>("gap");
    linger_ = config<amoc::duration>("linger");
    drops_ = &metrics().counter("xmpp.reconnect.drops");
    resumed_ = &metrics().counter("xmpp.reconnect.resumed");
    resume_failures_ = &metrics().counter("xmpp.reconnect.resume_failures");
    fresh_logins_ = &metrics().counter("xmpp.reconnect.fresh_logins");
    resent_ = &metrics().counter("xmpp.reconnect.resent");
    in_order_ = &metrics().counter("xmpp.reconnect.in_order");
    lost_ = &metrics().counter("xmpp.reconnect.lost");
    duplicates_ = &metrics().counter("xmpp.reconnect.duplicates");
    resume_time_ = &metrics().histogram("xmpp.reconnect.resume");
  }

  amoc::task<> start(amoc::user& u) override {
    auto opts = xmpp::options::from(u);
    opts.stream_management = true;
    opts.stream_resumption = true;
    conversation talk{xmpp::pair_partner_jid(u, opts.domain), {}, 1};
    auto client = std::make_unique<xmpp::client>(u, opts);
    co_await client->connect();
    if (client->stream_management().id.empty())
      throw std::runtime_error("the server enabled no resumable stream management (XEP-0198): "
                               "nothing to resume after a drop");
    client->send(xmpp::stanzas::presence());
    for (std::int64_t seq = 1; seq <= count_ && !u.stopping() && !talk.partner.empty(); ++seq) {
      // Read first: a message that reaches the partner while its login is
      // still under way may be stored offline after its queue was delivered.
      co_await read_until(*client, clock_type::now() + interval_, talk);
      client->send(xmpp::stanzas::chat_with_timestamp(talk.partner, body_of(seq)));
      talk.unsure.push_back({client->stream_management().outbound, seq});
      if (seq % drop_every_ == 0 && seq < count_)
        client = co_await reconnect(u, std::move(client), opts, talk);
    }
    const auto until = clock_type::now() + linger_;
    while (!u.stopping() && talk.next_expected <= count_ && clock_type::now() < until)
      co_await read_until(*client, std::min(until, clock_type::now() + interval_), talk);
    if (talk.next_expected <= count_)
      lost_->add(static_cast<std::uint64_t>(count_ - talk.next_expected + 1));
    co_await client->stop();
  }

private:
  // Drops `old` abruptly, then resumes its session on a new connection, or
  // logs in afresh when the server refuses.
  amoc::task<std::unique_ptr<xmpp::client>> reconnect(amoc::user& u,
                                                      std::unique_ptr<xmpp::client> old,
                                                      const xmpp::options& opts,
                                                      conversation& talk) {
    old->kill();
    drops_->add();
    // What arrived before the drop counts in our `h`: the server will not
    // send it again, so read it now.
    for (const auto& s : old->take_received())
      check(u, s, talk);
    const auto state = old->stream_management();
    old.reset();
    if (gap_ > amoc::duration::zero())
      co_await u.sleep(gap_);
    auto fresh = std::make_unique<xmpp::client>(u, opts);
    const auto started = clock_type::now();
    bool resumed = false;
    try {
      co_await fresh->connect_with(xmpp::steps::start_stream, xmpp::steps::maybe_starttls,
                                   xmpp::steps::authenticate, xmpp::steps::resume(state));
      resumed = true;
    } catch (const xmpp::error& e) {
      if (e.phase() != xmpp::phase::sm)
        throw;
      u.warning() << "no resumption, logging in afresh: " << e.what();
    }
    if (resumed) {
      resume_time_->record(clock_type::now() - started);
      resumed_->add();
      resend_unhandled(*fresh, talk);
      co_return fresh;
    }
    resume_failures_->add();
    fresh = std::make_unique<xmpp::client>(u, opts);
    co_await fresh->connect();
    fresh_logins_->add();
    fresh->send(xmpp::stanzas::presence());
    // A new session: which of the messages sent before the drop the server
    // got is unknown; those it did not are lost, and counted so by the partner.
    talk.unsure.clear();
    co_return fresh;
  }

  // XEP-0198 §5: after a resumption the client's count of stanzas sent is the
  // server's `h`; the messages sent after it never reached the server.
  void resend_unhandled(xmpp::client& c, conversation& talk) {
    const auto handled = c.stream_management().outbound;
    std::vector<sent_message> still_unsure;
    for (const auto& m : talk.unsure) {
      if (m.index <= handled)
        continue;
      c.send(xmpp::stanzas::chat_with_timestamp(talk.partner, body_of(m.seq)));
      still_unsure.push_back({c.stream_management().outbound, m.seq});
      resent_->add();
    }
    talk.unsure = std::move(still_unsure);
  }

  // Receives until `until`, checking the partner's sequence numbers.
  amoc::task<> read_until(xmpp::client& c, clock_type::time_point until, conversation& talk) {
    while (clock_type::now() < until) {
      auto s = co_await c.receive(until - clock_type::now());
      if (!s)
        break;
      check(c.owner(), *s, talk);
    }
  }

  void check(const amoc::user& u, const xmpp::stanza& s, conversation& talk) {
    if (s.name() != "message" || s.type() != "chat")
      return;
    const auto from = xmpp::jid::try_parse(s.from());
    if (!from || from->bare() != talk.partner)
      return;
    const auto seq = seq_of(s.body());
    if (seq == 0)
      return;
    if (seq < talk.next_expected) {
      duplicates_->add();
      u.warning() << "seq " << seq << " from " << talk.partner << " again (expected "
                  << talk.next_expected << ")";
      return;
    }
    if (seq > talk.next_expected) {
      lost_->add(static_cast<std::uint64_t>(seq - talk.next_expected));
      u.warning() << "seq " << seq << " from " << talk.partner << " (expected "
                  << talk.next_expected << ")";
    } else
      in_order_->add();
    talk.next_expected = seq + 1;
  }

  amoc::duration interval_{};
  std::int64_t count_ = 0;
  std::int64_t drop_every_ = 0;
  amoc::duration gap_{};
  amoc::duration linger_{};
  amoc::metrics::counter* drops_ = nullptr;
  amoc::metrics::counter* resumed_ = nullptr;
  amoc::metrics::counter* resume_failures_ = nullptr;
  amoc::metrics::counter* fresh_logins_ = nullptr;
  amoc::metrics::counter* resent_ = nullptr;
  amoc::metrics::counter* in_order_ = nullptr;
  amoc::metrics::counter* lost_ = nullptr;
  amoc::metrics::counter* duplicates_ = nullptr;
  amoc::metrics::histogram* resume_time_ = nullptr;
};

}  // namespace

AMOC_REGISTER_SCENARIO(
  xmpp_reconnect, "xmpp_reconnect",
  "Users chat in pairs with numbered messages, drop their connections and resume (XEP-0198).",
  (xmpp::config_variables({
    {"message_interval", "time between two messages of a user", "1s", amoc::config::type::duration,
     amoc::config::rules::positive()},
    {"message_count", "messages each user sends its partner", "20", amoc::config::type::integer,
     amoc::config::rules::positive()},
    {"drop_every", "a user drops its connection after every this many messages it sent", "5",
     amoc::config::type::integer, amoc::config::rules::positive()},
    {"gap", "how long a dropped user waits before it reconnects", "500ms",
     amoc::config::type::duration, amoc::config::rules::non_negative()},
    {"linger", "how long a user waits for its partner's last messages", "10s",
     amoc::config::type::duration, amoc::config::rules::non_negative()},
  })));

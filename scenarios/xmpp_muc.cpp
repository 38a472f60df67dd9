// xmpp_muc: group chat in multi-user chat rooms (XEP-0045).
//
// Users 1..S share room 1, users S+1..2S room 2, ... (S = `muc_room_size`);
// room N is <muc_room_prefix>N@<muc_service>. Each user logs in as
// user_<id> / password_<id> (or with its row of the users_file), says it is
// available and enters its room with its username as nickname. The first to
// arrive creates the room and configures it (`muc_room_config`: an instant
// room, or the owner's form fetched, filled and submitted); a user whose join
// finds the room still locked by its creator (item-not-found) tries again.
// Then it waits until the room holds S occupants plus `muc_extra_occupants`
// (observers that join from elsewhere), at most `muc_fill_timeout`, sends
// `muc_message_count` groupchat messages, one every `muc_message_interval`
// (occupants spread over the interval by their place in the room), each
// carrying its send time, reads what the others send, waits at most
// `muc_linger` for their last messages, leaves the room and logs out.
// Rooms filling and emptying make the presence storms.

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "amoc/scenario.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/stanzas.hpp"

namespace {

namespace xmpp = amoc::xmpp;
namespace stanzas = amoc::xmpp::stanzas;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

// Each user asks again this often while the room's creator still has it locked.
constexpr amoc::duration join_retry_pause = 100ms;

// What one occupant knows of its room.
struct occupant {
  occupant(amoc::user& user, xmpp::client& c, std::string room_jid, std::string nickname)
      : u(user), client(c), room(std::move(room_jid)), nick(std::move(nickname)) {}

  amoc::user& u;
  xmpp::client& client;
  std::string room;                             // room@service
  std::string nick;                             // our own nickname (the resource of our room JID)
  std::set<std::string> present;                // nicknames in the room now, ours included
  std::size_t others = 0;                       // amoc occupants besides us once the room filled
  std::int64_t received = 0;                    // groupchat messages from the others
  amoc::metrics::counter* room_sent = nullptr;  // per room, with muc_room_metrics
  amoc::metrics::counter* room_received = nullptr;
};

// The nickname part of a room occupant's JID ("" when `from` is not from `room`).
std::string_view nick_in(std::string_view from, std::string_view room) {
  const auto slash = from.find('/');
  if (slash != room.size())
    return {};
  const bool same_room = std::equal(room.begin(), room.end(), from.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a))
           == std::tolower(static_cast<unsigned char>(b));
  });
  return same_room ? from.substr(slash + 1) : std::string_view{};
}

class xmpp_muc final : public amoc::scenario {
public:
  void init() override {
    room_size_ = static_cast<std::uint64_t>(config<std::int64_t>("muc_room_size"));
    extra_ = static_cast<std::size_t>(config<std::int64_t>("muc_extra_occupants"));
    fill_timeout_ = config<amoc::duration>("muc_fill_timeout");
    interval_ = config<amoc::duration>("muc_message_interval");
    count_ = config<std::int64_t>("muc_message_count");
    linger_ = config<amoc::duration>("muc_linger");
    prefix_ = config<std::string>("muc_room_prefix");
    service_ = config<std::string>("muc_service", std::string{});
    if (service_.empty())
      service_ = "muc." + config<std::string>("xmpp_domain");
    form_ = config<std::string>("muc_room_config") == "form";
    room_metrics_ = config<bool>("muc_room_metrics");
    join_ = &metrics().histogram("xmpp.muc.join");
    join_failures_ = &metrics().counter("xmpp.muc.join_failures");
    join_retries_ = &metrics().counter("xmpp.muc.join_retries");
    created_ = &metrics().counter("xmpp.muc.rooms_created");
    fill_timeouts_ = &metrics().counter("xmpp.muc.fill_timeouts");
    sent_ = &metrics().counter("xmpp.muc.messages_sent");
    received_ = &metrics().counter("xmpp.muc.messages_received");
    ttd_ = &metrics().histogram("xmpp.muc.ttd");
  }

  amoc::task<> start(amoc::user& u) override {
    xmpp::client client{u, xmpp::options::from(u)};
    co_await client.connect();
    client.send(stanzas::presence());
    const auto number = (u.id() + room_size_ - 1) / room_size_;
    occupant me{u, client, prefix_ + std::to_string(number) + "@" + service_,
                std::string{client.jid().local()}};
    if (room_metrics_) {
      const auto name = "xmpp.muc.room." + std::to_string(number);
      me.room_sent = &metrics().counter(name + ".messages_sent");
      me.room_received = &metrics().counter(name + ".messages_received");
    }
    const bool joined = co_await join(me, clock_type::now() + fill_timeout_);
    if (joined) {
      co_await wait_until_full(me, clock_type::now() + fill_timeout_);
      co_await talk(me);
      co_await linger(me);
      client.send(stanzas::muc_leave(me.room, me.nick));
    } else {
      join_failures_->add();
    }
    co_await client.stop();
  }

private:
  // Enters the room (creating and configuring it when we are first), asking
  // again while its creator has it locked, until `give_up`; true when in.
  amoc::task<bool> join(occupant& me, clock_type::time_point give_up) {
    const auto answer = xmpp::is::any_of(
      {xmpp::is::muc_presence(me.room, me.nick, {110}), xmpp::is::muc_error(me.room)});
    for (;;) {
      // The I/O thread stamps each arrival with the wall clock: time the join against it.
      const auto asked = std::chrono::system_clock::now();
      me.client.send(stanzas::muc_join(me.room, me.nick));
      auto reply = co_await me.client.receive(me.client.settings().step_timeout, answer);
      if (!reply) {
        me.u.warning() << "no answer from " << me.room << " to joining it";
        co_return false;
      }
      if (reply->type() != "error") {
        join_->record(std::chrono::duration_cast<amoc::duration>(reply->received_at() - asked));
        me.present.insert(me.nick);
        const bool created = xmpp::read_muc_presence(*reply).value().has_status(201);
        if (created)
          co_await configure(me);
        co_return true;
      }
      const auto why = xmpp::stanza_error_condition(*reply);
      if (why.condition != "item-not-found" || clock_type::now() >= give_up || me.u.stopping()) {
        me.u.warning() << "cannot join " << me.room << ": " << why.condition << " " << why.text;
        co_return false;
      }
      join_retries_->add();  // the room exists but its creator has not configured it yet
      co_await me.u.sleep(join_retry_pause);
    }
  }

  // A room we created: accept the defaults, or fill in the owner's form.
  amoc::task<> configure(occupant& me) {
    created_->add();
    const auto timeout = me.client.settings().step_timeout;
    if (!form_) {
      co_await me.client.send_iq_and_wait_for_result(stanzas::muc_instant_room(me.room), timeout);
      co_return;
    }
    co_await me.client.send_iq_and_wait_for_result(stanzas::muc_config_get(me.room), timeout);
    stanzas::muc_room_config config;
    config.name = "amoc " + me.room.substr(0, me.room.find('@'));
    config.public_room = true;
    config.persistent = false;
    co_await me.client.send_iq_and_wait_for_result(stanzas::muc_config_submit(me.room, config),
                                                   timeout);
  }

  amoc::task<> wait_until_full(occupant& me, clock_type::time_point deadline) {
    while (me.present.size() < room_size_ + extra_ && !me.u.stopping()) {
      const auto now = clock_type::now();
      if (now >= deadline) {
        fill_timeouts_->add();
        break;
      }
      auto s = co_await me.client.receive(deadline - now);
      if (s)
        take(me, *s);
    }
    me.others = std::min<std::size_t>(me.present.size(), room_size_) - 1;
  }

  // Sends on a fixed beat, reading what came in between in one batch (the
  // I/O thread stamped each arrival, so delivery times stay exact).
  amoc::task<> talk(occupant& me) {
    auto next =
      clock_type::now()
      + interval_ * static_cast<long>(me.u.id() % room_size_) / static_cast<long>(room_size_);
    for (std::int64_t i = 0; i < count_ && !me.u.stopping(); ++i, next += interval_) {
      const auto now = clock_type::now();
      if (next > now)
        co_await me.u.sleep(next - now);
      for (const auto& s : me.client.take_received())
        take(me, s);
      me.client.send(stanzas::with_timestamp(
        stanzas::groupchat(me.room, "message " + std::to_string(i + 1) + " from " + me.nick)));
      sent_->add();
      if (me.room_sent)
        me.room_sent->add();
    }
  }

  // Waits for the others' last messages.
  amoc::task<> linger(occupant& me) {
    const auto expected = static_cast<std::int64_t>(me.others) * count_;
    const auto deadline = clock_type::now() + linger_;
    while (me.received < expected && !me.u.stopping()) {
      const auto now = clock_type::now();
      if (now >= deadline)
        break;
      auto s = co_await me.client.receive(deadline - now);
      if (s)
        take(me, *s);
    }
  }

  // Follows who is in the room and counts (and times) the others' messages.
  void take(occupant& me, const xmpp::stanza& s) {
    const auto nick = nick_in(s.from(), me.room);
    if (nick.empty())
      return;
    if (s.name() == "presence") {
      if (s.type().empty())
        me.present.emplace(nick);
      else if (s.type() == "unavailable")
        me.present.erase(std::string{nick});
      return;
    }
    if (s.name() != "message" || s.type() != "groupchat" || nick == me.nick
        || !s.root().child("body"))
      return;
    ++me.received;
    received_->add();
    if (me.room_received)
      me.room_received->add();
    if (const auto sent = stanzas::sent_timestamp(s))
      ttd_->record(std::chrono::duration_cast<amoc::duration>(s.received_at() - *sent));
  }

  std::uint64_t room_size_ = 1;
  std::size_t extra_ = 0;
  amoc::duration fill_timeout_{};
  amoc::duration interval_{};
  std::int64_t count_ = 0;
  amoc::duration linger_{};
  std::string prefix_;
  std::string service_;
  bool form_ = false;
  bool room_metrics_ = false;
  amoc::metrics::histogram* join_ = nullptr;
  amoc::metrics::counter* join_failures_ = nullptr;
  amoc::metrics::counter* join_retries_ = nullptr;
  amoc::metrics::counter* created_ = nullptr;
  amoc::metrics::counter* fill_timeouts_ = nullptr;
  amoc::metrics::counter* sent_ = nullptr;
  amoc::metrics::counter* received_ = nullptr;
  amoc::metrics::histogram* ttd_ = nullptr;
};

// A room name prefix is the start of a JID localpart: no @, /, quotes or spaces.
amoc::config::rule room_prefix() {
  return {"a room name prefix without @, /, quotes, & or spaces", [](const amoc::config::json& v) {
            const auto& s = v.get_ref<const std::string&>();
            return !s.empty() && s.find_first_of("@/\"'&<> \t") == std::string::npos;
          }};
}

}  // namespace

AMOC_REGISTER_SCENARIO(
  xmpp_muc, "xmpp_muc",
  "Users chat in multi-user chat rooms of muc_room_size (XEP-0045): create, fill, talk, leave.",
  (xmpp::config_variables({
    {"muc_room_size", "users per room: users 1..S in room 1, S+1..2S in room 2, ...", "5",
     amoc::config::type::integer, amoc::config::rules::in_range(1, 10000)},
    {"muc_extra_occupants", "occupants besides amoc's users a room waits for (observers)", "0",
     amoc::config::type::integer, amoc::config::rules::in_range(0, 1000)},
    {"muc_fill_timeout", "how long a user waits for its room to fill before it talks anyway", "30s",
     amoc::config::type::duration, amoc::config::rules::positive()},
    {"muc_message_interval", "time between two groupchat messages of a user", "1s",
     amoc::config::type::duration, amoc::config::rules::positive()},
    {"muc_message_count", "groupchat messages each user sends", "10", amoc::config::type::integer,
     amoc::config::rules::non_negative()},
    {"muc_linger", "how long a user waits for the others' last messages", "5s",
     amoc::config::type::duration, amoc::config::rules::non_negative()},
    {"muc_service",
     "the MUC service's domain; empty: muc.<xmpp_domain>",
     "",
     amoc::config::type::string,
     std::nullopt,
     {},
     /*optional=*/true},
    {"muc_room_prefix", "room N is <prefix>N@<service>", "amoc_room_", amoc::config::type::string,
     room_prefix()},
    {"muc_room_config", "how a room's creator configures it: instant (defaults) or form", "instant",
     amoc::config::type::string, amoc::config::rules::one_of({"instant", "form"})},
    {"muc_room_metrics", "count messages per room (xmpp.muc.room.<N>.*): for small runs", "false",
     amoc::config::type::boolean, std::nullopt},
  })));

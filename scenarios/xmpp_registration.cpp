// xmpp_registration: a registration storm (XEP-0077).
//
// Each user opens a stream (STARTTLS as xmpp_starttls says) and, before SASL,
// registers the account <registration_prefix><id> with the password
// <registration_password_prefix><id> (never the user_N accounts, nor a users_file's); then logs in
// with it on the same stream (SASL, bind, session), stays `hold`, removes the
// account (XEP-0077 §3.2) and closes. Times each part and counts the failures
// of a registration and of a removal by their error condition. An account that
// exists already (conflict: left by an interrupted run) is counted as a
// failure, then logged into and removed like the others, so the next run
// starts clean.

#include <algorithm>
#include <array>
#include <string>

#include <nlohmann/json.hpp>

#include "amoc/scenario.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/registration.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "amoc/xmpp/steps.hpp"

namespace {

namespace xmpp = amoc::xmpp;
using clock_type = std::chrono::steady_clock;

// The names a failure counter may take: the stanza error conditions (RFC 6120
// §8.3.3) and the client's own (a server's made-up name would add a metric per name).
constexpr std::array client_conditions = {"timeout", "stream-closed", "connection-closed"};

std::string metric_condition(std::string_view condition) {
  const auto known = [&](std::string_view c) { return c == condition; };
  if (std::ranges::any_of(xmpp::stanzas::stanza_error_conditions, known)
      || std::ranges::any_of(client_conditions, known))
    return std::string{condition};
  return "other";
}

// A JID localpart's start (RFC 7622 §3.3.1 forbids these characters in it).
amoc::config::rule localpart_prefix() {
  return {"a non-empty account name prefix without spaces or any of \"&'/:<>@",
          [](const amoc::config::json& v) {
            if (!v.is_string())
              return false;
            const auto text = v.get<std::string>();
            return !text.empty() && text.find_first_of(" \"&'/:<>@") == std::string::npos;
          }};
}

amoc::config::rule non_empty() {
  return {"a non-empty string", [](const amoc::config::json& v) {
            return v.is_string() && !v.get<std::string>().empty();
          }};
}

// When the parts of one user's registration ended.
struct timeline {
  clock_type::time_point registered{};
};

class xmpp_registration final : public amoc::scenario {
public:
  void init() override {
    prefix_ = config<std::string>("registration_prefix");
    password_prefix_ = config<std::string>("registration_password_prefix");
    hold_ = config<amoc::duration>("hold");
    registered_ = &metrics().counter("xmpp.registration.registered");
    removed_ = &metrics().counter("xmpp.registration.removed");
    register_time_ = &metrics().histogram("xmpp.registration.register");
    login_time_ = &metrics().histogram("xmpp.registration.login");
    removal_time_ = &metrics().histogram("xmpp.registration.removal");
  }

  amoc::task<> start(amoc::user& u) override {
    auto opts = xmpp::options::from(u);
    opts.username = prefix_ + std::to_string(u.id());
    opts.password = password_prefix_ + std::to_string(u.id());
    xmpp::client client{u, opts};
    timeline times;
    const bool logged_in = co_await register_and_log_in(client, times);
    if (!logged_in)
      co_return;
    login_time_->record(clock_type::now() - times.registered);
    if (hold_ > amoc::duration::zero())
      co_await u.sleep(hold_);
    co_await remove(client);
  }

private:
  // Registers on the first stream, then logs in on it; false (counted) when either fails.
  amoc::task<bool> register_and_log_in(xmpp::client& client, timeline& times) {
    auto register_step = [this, &times](xmpp::client& c) { return register_account(c, times); };
    try {
      co_await client.connect_with(xmpp::steps::start_stream, xmpp::steps::maybe_starttls,
                                   register_step, xmpp::steps::authenticate, xmpp::steps::bind,
                                   xmpp::steps::session);
    } catch (const xmpp::error& e) {
      // Registration failures are counted by the step; the others by the
      // client (xmpp.failures.<phase>, xmpp.login_failures).
      client.owner().warning() << e.what();
      client.kill();
      co_return false;
    }
    co_return true;
  }

  amoc::task<> register_account(xmpp::client& c, timeline& times) {
    c.set_phase(xmpp::phase::registration);
    const auto request = xmpp::stanzas::register_account(c.username(), c.password());
    const auto sent = clock_type::now();
    c.send(request);
    xmpp::stanza reply;
    try {
      reply = co_await c.expect(xmpp::is::iq_with_id(request.id()), "registration result");
    } catch (const xmpp::error& e) {
      failures("xmpp.registration.failures.", e.condition());
      throw;
    }
    times.registered = clock_type::now();
    const auto why = xmpp::registration_failure(reply);
    if (why.condition.empty()) {
      register_time_->record(times.registered - sent);
      registered_->add();
      co_return;
    }
    failures("xmpp.registration.failures.", why.condition);
    if (why.condition == "conflict")
      co_return;
    std::string detail{xmpp::registration_condition_meaning(why.condition)};
    if (!why.text.empty())
      detail.append(detail.empty() ? "" : ": ").append(why.text);
    c.fail(why.condition, detail);
  }

  amoc::task<> remove(xmpp::client& client) {
    const auto started = clock_type::now();
    try {
      co_await xmpp::steps::remove_account(client);
    } catch (const xmpp::error& e) {
      client.owner().warning() << e.what();
      failures("xmpp.registration.removal.failures.", e.condition());
      client.kill();
      co_return;
    }
    removal_time_->record(clock_type::now() - started);
    removed_->add();
    // The account is gone: the server ends its sessions (ejabberd with a
    // stream error), so there is no stream left to close politely.
    client.kill();
  }

  void failures(std::string_view prefix, std::string_view condition) {
    metrics().counter(std::string{prefix} + metric_condition(condition)).add();
  }

  std::string prefix_;
  std::string password_prefix_;
  amoc::duration hold_{};
  amoc::metrics::counter* registered_ = nullptr;
  amoc::metrics::counter* removed_ = nullptr;
  amoc::metrics::histogram* register_time_ = nullptr;
  amoc::metrics::histogram* login_time_ = nullptr;
  amoc::metrics::histogram* removal_time_ = nullptr;
};

}  // namespace

AMOC_REGISTER_SCENARIO(
  xmpp_registration, "xmpp_registration",
  "Users register an account in band (XEP-0077), log in with it and remove it.",
  (xmpp::config_variables({
    {"registration_prefix", "user N registers the account <prefix>N", "amoc_reg_",
     amoc::config::type::string, localpart_prefix()},
    {"registration_password_prefix", "the password of account <registration_prefix>N is <prefix>N",
     "amoc_reg_pw_", amoc::config::type::string, non_empty()},
    {"hold", "how long a user stays logged in before it removes its account", "0s",
     amoc::config::type::duration, amoc::config::rules::non_negative()},
  })));

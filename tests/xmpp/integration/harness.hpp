#pragma once

// Integration tests against a real XMPP server (ejabberd or Prosody, started
// by scripts/xmpp-server; see run.sh). A test's body runs as the scenario of
// real user actors in an amoc::runtime, exactly as a load test would run it.

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "amoc/error.hpp"
#include "amoc/runtime.hpp"
#include "amoc/user.hpp"
#include "amoc/xmpp/client.hpp"

namespace amoc::test {

using user_body = amoc::task<> (*)(amoc::user&);

/// "ejabberd" or "prosody" (AMOC_TEST_XMPP_SERVER).
[[nodiscard]] const std::string& server();
[[nodiscard]] inline bool on_ejabberd() { return server() == "ejabberd"; }

/// The WebSocket path of the server under test.
[[nodiscard]] std::string websocket_path();
/// The BOSH path of the server under test.
[[nodiscard]] std::string bosh_path();
/// Run settings for BOSH (`bosh_tls` on 5443 when `tls`, else `bosh` on
/// 5280) at the server's path, on top of `more`.
[[nodiscard]] nlohmann::json over_bosh(bool tls = false,
                                       nlohmann::json more = nlohmann::json::object());
/// `u`'s client options, with user 2 on plain TCP (port 5222): the peer of a
/// user on another transport.
[[nodiscard]] xmpp::options user_2_on_tcp(amoc::user& u);

/// Runs `users` users (ids first..first+users-1) of `body` once each, with the
/// base settings (plain TCP on 5222, SASL PLAIN) overridden by `settings`.
class xmpp_run {
public:
  xmpp_run(std::uint64_t users, user_body body, const nlohmann::json& settings = {},
           std::uint64_t first = 1);
  ~xmpp_run();

  /// Waits until every user ended (fails the test after `timeout`).
  amoc::status wait(duration timeout = std::chrono::seconds{30});
  [[nodiscard]] std::uint64_t counter(const std::string& name);
  [[nodiscard]] std::uint64_t ended(amoc::exit reason);
  [[nodiscard]] amoc::runtime& runtime() { return rt_; }

private:
  config::store store_;
  amoc::runtime rt_;
  amoc::status final_{};
  bool waited_ = false;
};

/// Notes from inside users (any thread), read by the test afterwards.
class notes {
public:
  static notes& get();
  void add(std::string note);
  [[nodiscard]] std::vector<std::string> all();
  void clear();

private:
  std::mutex mutex_;
  std::vector<std::string> notes_;
};

/// Suspends `u` until `count` reaches `at_least` (checking every 10 ms);
/// false after `timeout`. How users of one test wait for each other.
[[nodiscard]] amoc::task<bool> wait_for_count(amoc::user& u, const std::atomic<int>& count,
                                              int at_least, duration timeout);

/// Sends `c`'s initial presence and waits (at most 5 s) for the server's echo
/// of it (RFC 6121 §4.2.2). Only then does a chat to the bare JID reach this
/// session: one the server routes before it has set the presence goes to
/// offline storage, and may land there after the stored ones were delivered.
[[nodiscard]] amoc::task<> go_online(xmpp::client& c);

/// The bare JID of user `id` on the test domain.
[[nodiscard]] std::string user_jid(std::uint64_t id);

/// Runs `scripts/xmpp-server ctl ARGS...`; its exit code.
int server_ctl(const std::string& args);

}  // namespace amoc::test

#include "harness.hpp"

#include <cstdlib>
#include <thread>

#include "amoc/error.hpp"
#include "amoc/scenario.hpp"
#include "amoc/xmpp/stanzas.hpp"

namespace amoc::test {

namespace {

user_body current_body = nullptr;

class integration_scenario final : public amoc::scenario {
public:
  amoc::task<> start(amoc::user& u) override { return current_body(u); }
};

AMOC_REGISTER_SCENARIO(integration_scenario, "xmpp_integration", "runs the current test's body",
                       {xmpp::config_variables()});

}  // namespace

const std::string& server() {
  static const std::string name = [] {
    const char* env = std::getenv("AMOC_TEST_XMPP_SERVER");
    return std::string{env ? env : "ejabberd"};
  }();
  return name;
}

std::string websocket_path() { return on_ejabberd() ? "/ws-xmpp" : "/xmpp-websocket"; }

std::string bosh_path() { return on_ejabberd() ? "/bosh" : "/http-bind"; }

nlohmann::json over_bosh(bool tls, nlohmann::json more) {
  more["xmpp_port"] = tls ? 5443 : 5280;
  more["xmpp_transport"] = tls ? "bosh_tls" : "bosh";
  if (!more.contains("xmpp_bosh_path"))
    more["xmpp_bosh_path"] = bosh_path();
  return more;
}

xmpp::options user_2_on_tcp(amoc::user& u) {
  auto opts = xmpp::options::from(u);
  if (u.id() == 2) {
    opts.transport = xmpp::transport::tcp;
    opts.port = 5222;
  }
  return opts;
}

xmpp_run::xmpp_run(std::uint64_t users, user_body body, const nlohmann::json& settings,
                   std::uint64_t first)
    : rt_(amoc::runtime::options::local(&store_, 2)) {
  current_body = body;
  store_.set("interarrival", 0);
  store_.set("repeat_num", 1);
  store_.set("xmpp_starttls", "off");
  store_.set("xmpp_sasl_mechanisms", nlohmann::json::array({"PLAIN"}));
  for (const auto& [key, value] : settings.items())
    store_.set(key, value);
  if (auto err = rt_.start("xmpp_integration", first, first + users - 1))
    ADD_FAILURE() << "start: " << render(err);
}

xmpp_run::~xmpp_run() {
  if (!waited_)
    wait();
}

amoc::status xmpp_run::wait(duration timeout) {
  if (waited_)
    return final_;
  waited_ = true;
  auto st = rt_.wait(timeout);
  if (!st) {
    ADD_FAILURE() << "the users did not end: " << render(st.error());
    (void)rt_.stop(true);
    st = rt_.wait(std::chrono::seconds{10});
  }
  if (st)
    final_ = *st;
  return final_;
}

std::uint64_t xmpp_run::counter(const std::string& name) {
  return rt_.metrics().counter(name).value();
}

std::uint64_t xmpp_run::ended(amoc::exit reason) { return wait().users.ended[reason]; }

notes& notes::get() {
  static notes instance;
  return instance;
}

void notes::add(std::string note) {
  std::lock_guard guard{mutex_};
  notes_.push_back(std::move(note));
}

std::vector<std::string> notes::all() {
  std::lock_guard guard{mutex_};
  return notes_;
}

void notes::clear() {
  std::lock_guard guard{mutex_};
  notes_.clear();
}

amoc::task<bool> wait_for_count(amoc::user& u, const std::atomic<int>& count, int at_least,
                                duration timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (count.load() < at_least) {
    if (std::chrono::steady_clock::now() >= until)
      co_return false;
    co_await u.sleep(std::chrono::milliseconds{10});
  }
  co_return true;
}

amoc::task<> go_online(xmpp::client& c) {
  c.send(xmpp::stanzas::presence());
  (void)co_await c.wait_for_stanza(std::chrono::seconds{5}, xmpp::is::presence());
}

std::string user_jid(std::uint64_t id) { return "user_" + std::to_string(id) + "@localhost"; }

int server_ctl(const std::string& args) {
  const char* src = std::getenv("AMOC_SOURCE_DIR");
  const std::string cmd =
    std::string{src ? src : "."} + "/scripts/xmpp-server ctl " + args + " >/dev/null 2>&1";
  return std::system(cmd.c_str());
}

}  // namespace amoc::test

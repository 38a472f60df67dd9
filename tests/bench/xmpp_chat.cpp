// xmpp_chat USERS DURATION_S [--idle] [--pipelining] [--grid-ms N] [--sources a,b,...]: the XMPP
// client's costs against a real server, measured in this process only.
//
// Phase 1: USERS users log in (plain TCP, SASL PLAIN) and send presence.
// Phase 2: each sends one chat message per second to its partner (1<->2,
//          3<->4, ...) for DURATION_S, reading what arrives; --idle skips it.
// Phase 3: users read for 2 more seconds and log out.
// RSS is /proc/self/statm above the baseline taken before the run, CPU is
// user+sys from /proc/self/stat. Prints one result line last.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "amoc/error.hpp"
#include "amoc/runtime.hpp"
#include "amoc/scenario.hpp"
#include "amoc/xmpp/client.hpp"
#include "amoc/xmpp/stanzas.hpp"
#include "process_cpu.hpp"

namespace {

using amoc::bench::cpu_seconds;

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
namespace xmpp = amoc::xmpp;

// When the phases begin and end; set by main() before the run starts (and
// read-only after: users see it through the actor system's message passing).
struct bench_plan {
  clock_type::time_point chat_from;
  clock_type::time_point chat_until;
  bool idle = false;
  // Users send at the start of one of the grid's slots: 1 ms spreads the
  // messages over 1,000 instants a second, 10 ms over 100 (bigger bursts).
  std::chrono::milliseconds grid{1};
} plan;

class xmpp_bench final : public amoc::scenario {
public:
  amoc::task<> start(amoc::user& u) override {
    xmpp::client c{u, xmpp::options::from(u)};
    co_await c.connect();
    c.send(xmpp::stanzas::presence());
    const auto partner =
      "user_" + std::to_string(u.id() % 2 ? u.id() + 1 : u.id() - 1) + "@" + c.settings().domain;
    // Users send at different offsets within each second: a steady load.
    auto next = plan.chat_from + plan.grid * static_cast<long>(u.id() % (1s / plan.grid));
    co_await read_until(c, next);
    while (!plan.idle && next < plan.chat_until) {
      c.send(xmpp::stanzas::chat_with_timestamp(partner, "benchmark message"));
      next += 1s;
      co_await read_until(c, next);
    }
    co_await read_until(c, std::max(next, plan.chat_until) + 2s);
    co_await c.stop(10s);
  }

private:
  static amoc::task<> read_until(xmpp::client& c, clock_type::time_point until) {
    while (clock_type::now() < until)
      co_await c.receive(until - clock_type::now());
  }
};

AMOC_REGISTER_SCENARIO(xmpp_bench, "xmpp_bench", "benchmark: chat in pairs once a second",
                       {xmpp::config_variables()});

long rss_kb() {
  std::ifstream statm{"/proc/self/statm"};
  long total = 0, resident = 0;
  statm >> total >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

struct args {
  std::uint64_t users = 100;
  long duration_s = 10;
  bool idle = false;
  std::string sources;
  long grid_ms = 1;
  bool pipelining = false;
};

args parse(int argc, char** argv) {
  args a;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--idle")
      a.idle = true;
    else if (arg == "--pipelining")
      a.pipelining = true;
    else if (arg == "--sources" && i + 1 < argc)
      a.sources = argv[++i];
    else if (arg == "--grid-ms" && i + 1 < argc)
      a.grid_ms = std::max(1L, std::strtol(argv[++i], nullptr, 10));
    else
      positional.push_back(arg);
  }
  if (!positional.empty())
    a.users = std::strtoull(positional[0].c_str(), nullptr, 10);
  if (positional.size() > 1)
    a.duration_s = std::strtol(positional[1].c_str(), nullptr, 10);
  return a;
}

std::uint64_t counter(amoc::runtime& rt, const char* name) {
  return rt.metrics().counter(name).value();
}

}  // namespace

int main(int argc, char** argv) {
  const auto a = parse(argc, argv);
  amoc::config::store store;
  store.set_text("interarrival", "0");
  store.set_text("repeat_num", "1");
  store.set_text("xmpp_starttls", "off");
  store.set_text("xmpp_sasl_mechanisms", "PLAIN");
  store.set_text("xmpp_connect_timeout", "30s");
  store.set_text("xmpp_step_timeout", "30s");
  if (a.pipelining)
    store.set_text("xmpp_pipelining", "true");
  if (!a.sources.empty())
    store.set_text("xmpp_source_addresses", a.sources);
  const char* threads = std::getenv("AMOC_BENCH_THREADS");
  amoc::runtime rt{
    amoc::runtime::options::local(&store, threads ? std::strtoul(threads, nullptr, 10) : 2)};
  const long rss_baseline = rss_kb();
  const double cpu_start = cpu_seconds();

  // Chatting starts at a fixed time, after a generous login budget, so that
  // nothing but logins runs while their CPU is measured.
  const auto login_budget = 3s + std::chrono::seconds{a.users / 1000};
  plan.chat_from = clock_type::now() + login_budget;
  plan.chat_until = plan.chat_from + std::chrono::seconds{a.duration_s};
  plan.idle = a.idle;
  plan.grid = std::chrono::milliseconds{a.grid_ms};
  if (auto err = rt.start("xmpp_bench", 1, a.users)) {
    std::fprintf(stderr, "xmpp_bench: %s\n", amoc::render(err).c_str());
    return 1;
  }
  while (counter(rt, "xmpp.logins") < a.users && clock_type::now() < plan.chat_from
         && counter(rt, "xmpp.login_failures") == 0)
    std::this_thread::sleep_for(10ms);
  const double login_cpu = cpu_seconds() - cpu_start;
  const auto logged_in = counter(rt, "xmpp.logins");
  std::fprintf(stderr, "xmpp_bench: %llu of %llu users logged in, %.3f CPU-s\n",
               static_cast<unsigned long long>(logged_in), static_cast<unsigned long long>(a.users),
               login_cpu);
  std::this_thread::sleep_until(plan.chat_from);
  const double chat_cpu_start = cpu_seconds();
  const auto sent_start = counter(rt, "xmpp.messages_sent");
  std::this_thread::sleep_until(plan.chat_until);
  const double chat_cpu = cpu_seconds() - chat_cpu_start;
  const auto sent_in_window = counter(rt, "xmpp.messages_sent") - sent_start;
  const long rss = rss_kb() - rss_baseline;
  // Open now, at the end of the window (late logins included).
  const auto connected = static_cast<std::uint64_t>(rt.metrics().gauge("xmpp.connected").value());

  auto st = rt.wait(std::chrono::seconds{60 + a.users / 500});
  if (!st) {
    std::fprintf(stderr, "xmpp_bench: %s\n", amoc::render(st.error()).c_str());
    (void)rt.stop(true);
  }
  const auto sent = counter(rt, "xmpp.messages_sent");
  const auto received = counter(rt, "xmpp.messages_received");
  const auto failures = counter(rt, "xmpp.login_failures");
  std::printf(
    "xmpp_bench users=%llu connected=%llu msgs_sent=%llu msgs_received=%llu rss_kb_per_user=%.2f "
    "cpu_s_per_1k_msgs=%.4f login_cpu_ms=%.3f login_failures=%llu\n",
    static_cast<unsigned long long>(a.users), static_cast<unsigned long long>(connected),
    static_cast<unsigned long long>(sent), static_cast<unsigned long long>(received),
    connected ? static_cast<double>(rss) / static_cast<double>(connected) : 0.0,
    sent_in_window ? chat_cpu / static_cast<double>(sent_in_window) * 1000.0 : 0.0,
    logged_in ? login_cpu / static_cast<double>(logged_in) * 1000.0 : 0.0,
    static_cast<unsigned long long>(failures));
  return connected == a.users ? 0 : 1;
}

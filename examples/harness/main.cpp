// A load-test harness with amoc as a library: its own scenario, registered in
// code, runs N users locally; prints the run's final status and metrics and
// exits non-zero when the run failed or a user did not end normally.
//   harness [USERS]

#include <cstdio>
#include <cstdlib>
#include <string>

#include "amoc/amoc.hpp"
#include "amoc/xmpp/jid.hpp"

namespace {

using namespace std::chrono_literals;

// Each user derives its XMPP address, "works" for `work_time` and counts
// iterations; the latency histogram records how long each iteration took.
class greeter final : public amoc::scenario {
public:
  void init() override {
    work_time_ = config<amoc::duration>("work_time");
    iterations_ = &metrics().counter("harness.iterations");
    latency_ = &metrics().histogram("harness.iteration");
  }

  amoc::task<> start(amoc::user& u) override {
    const auto started = std::chrono::steady_clock::now();
    const auto me = amoc::xmpp::jid::of("user_" + std::to_string(u.id()), "localhost");
    co_await u.sleep(work_time_);
    if (me.local().empty())
      throw std::runtime_error("no local part in " + me.full());
    latency_->record(std::chrono::steady_clock::now() - started);
    iterations_->add();
  }

private:
  amoc::duration work_time_{};
  amoc::metrics::counter* iterations_ = nullptr;
  amoc::metrics::histogram* latency_ = nullptr;
};

void print_metrics(const amoc::metrics::snapshot& m) {
  for (const auto& [name, value] : m.counters)
    std::printf("  counter    %-24s %llu\n", name.c_str(), static_cast<unsigned long long>(value));
  for (const auto& [name, h] : m.histograms)
    std::printf("  histogram  %-24s n=%llu p50=%lluus p99=%lluus\n", name.c_str(),
                static_cast<unsigned long long>(h.count()),
                static_cast<unsigned long long>(h.value_at(50)),
                static_cast<unsigned long long>(h.value_at(99)));
}

}  // namespace

int main(int argc, char** argv) {
  const auto users = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20;
  if (users == 0) {
    std::fprintf(stderr, "usage: harness [USERS > 0]\n");
    return 2;
  }
  amoc::register_scenario<greeter>(
    "greeter", "Each user derives its JID and works a little",
    {{"work_time", "time one iteration takes", "5ms", amoc::config::type::duration, std::nullopt}});

  amoc::config::store store;
  amoc::runtime rt{amoc::runtime::options::local(&store, 2)};
  amoc::run_file run;
  run.scenario = "greeter";
  run.first_id = 1;
  run.last_id = users;
  run.settings = {{"interarrival", "1ms"}, {"repeat_num", 3}, {"repeat_interval", "1ms"}};
  run.max_duration = amoc::duration{60s};

  amoc::execute_options opts;
  opts.progress_interval = 200ms;
  opts.progress = [](const amoc::status& st, amoc::duration elapsed) {
    std::printf("progress: %s, %llu started, %llu alive after %lld ms\n", to_string(st.state),
                static_cast<unsigned long long>(st.users.started),
                static_cast<unsigned long long>(st.users.alive()),
                static_cast<long long>(elapsed / 1ms));
  };
  auto result = amoc::execute(rt, run, opts);
  if (!result) {
    std::fprintf(stderr, "harness: %s\n", amoc::render(result.error()).c_str());
    return 1;
  }
  const auto& st = result->final_status;
  const auto normal = st.users.ended.normal;
  std::printf("run %s: %llu of %llu users ended normally\n", to_string(st.state),
              static_cast<unsigned long long>(normal), static_cast<unsigned long long>(users));
  print_metrics(result->metrics);
  const bool ok = st.state == amoc::run_state::finished && normal == users
                  && result->metrics.counters.at("harness.iterations") == users * 3;
  return ok ? 0 : 1;
}

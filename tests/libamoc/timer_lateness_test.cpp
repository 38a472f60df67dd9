// Sleeps on the real scheduler wake on time: the timer wheel's ticker on an
// event loop must see every planned tick, also while other users' timers are
// due in between (a tick it missed would be caught only by the balancer's
// rescue, 50 ms late).

#include <algorithm>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "amoc/error.hpp"
#include "amoc/execute.hpp"
#include "amoc/run_file.hpp"
#include "amoc/run_result.hpp"
#include "amoc/runtime.hpp"
#include "amoc/scenario.hpp"

using namespace std::chrono_literals;
using namespace amoc;

namespace {

using clock_type = std::chrono::steady_clock;

std::mutex lateness_mutex;
std::vector<clock_type::duration> lateness;  // one per sleep: woken at minus asked for

// User N sleeps 40 times for a period of its own (2, 3, 7 or 11 ms): their
// timers fall due in each other's gaps.
class t_punctual final : public scenario {
public:
  task<> start(user& u) override {
    static constexpr std::chrono::milliseconds periods[] = {2ms, 3ms, 7ms, 11ms};
    const auto period = periods[u.id() % 4];
    for (int i = 0; i < 40; ++i) {
      const auto due = clock_type::now() + period;
      co_await u.sleep(period);
      const auto late = clock_type::now() - due;
      std::lock_guard guard{lateness_mutex};
      lateness.push_back(late);
    }
  }
};

}  // namespace

AMOC_REGISTER_SCENARIO(t_punctual, "t_punctual", "sleeps short periods that interleave", {});

TEST(timer_lateness, sleeps_wake_on_time_when_timers_interleave) {
  lateness.clear();
  config::store store;
  runtime rt{runtime::options::local(&store, 2)};
  auto run = parse_run_file(nlohmann::json::parse(R"({"scenario": "t_punctual", "users": [1, 8],
                              "settings": {"interarrival": "0", "repeat_num": 1}})"),
                            "run.json");
  ASSERT_TRUE(run) << render(run.error());
  auto result = execute(rt, *run, {});
  ASSERT_TRUE(result) << render(result.error());

  std::lock_guard guard{lateness_mutex};
  ASSERT_EQ(lateness.size(), 8u * 40u);
  for (const auto late : lateness)
    EXPECT_GE(late, 0ns) << "a sleep ended before its time";
  // The wheel rounds up to its millisecond and a loaded machine delays some
  // wakes; a missed tick costs tens of milliseconds, on many sleeps.
  std::sort(lateness.begin(), lateness.end());
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  const auto p90 = lateness[lateness.size() * 9 / 10];
  EXPECT_LT(p90, 10ms) << "90th percentile " << ms(p90) << " ms, median "
                       << ms(lateness[lateness.size() / 2]) << " ms late";
}

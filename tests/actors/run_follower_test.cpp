// A run's course without a scheduler: the follower is fed the node's answers
// and a clock, and its commands are recorded.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "amoc/error.hpp"
#include "run_follower.hpp"

using namespace std::chrono_literals;
using namespace amoc;

namespace {

using clock_type = run_follower::clock_type;

struct recorder final : run_commands {
  void stop(bool force) override { log.push_back(force ? "stop force" : "stop"); }
  void add(std::uint64_t n, std::vector<std::string>) override {
    log.push_back("add " + std::to_string(n));
  }
  void remove(std::uint64_t n) override { log.push_back("remove " + std::to_string(n)); }
  std::vector<std::string> log;
};

run_file run_of(const char* doc) {
  auto run = parse_run_file(nlohmann::json::parse(doc), "run.json");
  EXPECT_TRUE(run) << render(run.error());
  return *run;
}

status running(std::uint64_t alive) {
  status st;
  st.state = run_state::running;
  st.users.running = alive;
  st.users.started = alive;
  return st;
}

struct course {
  explicit course(const char* doc) : run(run_of(doc)) {
    config::store store;
    auto hooks = scenario_hooks::make(store, run, t0);
    EXPECT_TRUE(hooks);
    follower = std::make_unique<run_follower>(run, std::move(*hooks), false, t0);
  }
  void at(duration t, std::optional<status> answer, int interrupts = 0) {
    follower->step(std::move(answer), interrupts, t0 + t, commands);
  }
  run_file run;
  clock_type::time_point t0 = clock_type::now();
  std::unique_ptr<run_follower> follower;
  recorder commands;
};

}  // namespace

TEST(run_follower, stages_then_duration_then_graceful_then_forced) {
  course c{R"({"scenario": "dummy", "duration": "10s", "graceful_stop_timeout": "2s",
    "stages": [{"ramp_to": 2, "over": "1s"}, {"hold": "20s"}]})"};
  c.at(100ms, running(1));
  EXPECT_TRUE(c.commands.log.empty()) << "the first step started with the run";
  c.at(1100ms, running(1));
  EXPECT_EQ(c.commands.log, (std::vector<std::string>{"add 1"}));
  c.at(10s, running(2));
  EXPECT_EQ(c.commands.log.back(), "stop");
  EXPECT_TRUE(c.follower->stopped_by_duration);
  EXPECT_EQ(c.follower->current(), run_follower::phase::stopping);
  c.at(11s, running(2));
  EXPECT_EQ(c.follower->current(), run_follower::phase::stopping) << "within the grace";
  c.at(12s, std::nullopt);
  EXPECT_EQ(c.commands.log.back(), "stop force");
  EXPECT_TRUE(c.follower->forced);
  status done = running(0);
  done.state = run_state::finished;
  c.at(12500ms, done);
  EXPECT_EQ(c.follower->current(), run_follower::phase::ended);
}

TEST(run_follower, interrupts_stop_gracefully_then_by_force_then_abandon) {
  course c{R"({"scenario": "dummy", "users": [1, 5]})"};
  c.at(1s, running(5), 1);
  EXPECT_TRUE(c.follower->interrupted);
  EXPECT_FALSE(c.follower->stopped_by_duration);
  c.at(2s, running(5), 2);
  EXPECT_EQ(c.commands.log, (std::vector<std::string>{"stop", "stop force"}));
  // Users that never yield: no answer, no progress; a third interrupt ends it.
  c.at(3s, std::nullopt, 2);
  EXPECT_EQ(c.follower->current(), run_follower::phase::forcing);
  c.at(3500ms, std::nullopt, 3);
  EXPECT_EQ(c.follower->current(), run_follower::phase::ended);
}

TEST(run_follower, users_that_do_not_stop_end_the_run_after_the_stall_limit) {
  course c{R"({"scenario": "dummy", "users": [1, 5], "duration": "1s",
    "graceful_stop_timeout": "1s"})"};
  c.at(1s, running(5));
  c.at(2s, running(5));
  ASSERT_EQ(c.follower->current(), run_follower::phase::forcing);
  c.at(4s, running(3));  // progress: two ended
  c.at(2s + run_follower::stall_limit + 1s, running(3));
  EXPECT_EQ(c.follower->current(), run_follower::phase::forcing) << "5 s since the last progress";
  c.at(4s + run_follower::stall_limit, running(3));
  EXPECT_EQ(c.follower->current(), run_follower::phase::ended);
}

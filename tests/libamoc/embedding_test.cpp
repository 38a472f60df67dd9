// Embedding amoc in a harness (amoc/amoc.hpp): a scenario class registered in
// code, runtimes with their own config, runs with progress, final metrics and
// status as values. Two runtimes run at once in one process and both shut
// down cleanly, repeatedly: nothing global ties them together.

#include "amoc/amoc.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>

using namespace std::chrono_literals;
using namespace amoc;

namespace {

// Each iteration sleeps `embed_pause`, counts itself and records how long the
// sleep took; `embed_tag` goes into the counter's name, so each runtime's
// metrics show which config its scenario instance read.
class counting final : public scenario {
public:
  void init() override {
    pause_ = config<duration>("embed_pause");
    iterations_ = &metrics().counter("embed." + config<std::string>("embed_tag") + ".iterations");
    latency_ = &metrics().histogram("embed.pause");
  }

  task<> start(user& u) override {
    const auto before = std::chrono::steady_clock::now();
    co_await u.sleep(pause_);
    latency_->record(std::chrono::steady_clock::now() - before);
    iterations_->add();
  }

private:
  duration pause_{};
  metrics::counter* iterations_ = nullptr;
  metrics::histogram* latency_ = nullptr;
};

const bool registered [[maybe_unused]] = register_scenario<counting>(
  "embed_counting", "Counts iterations under a tagged name",
  {{"embed_pause", "sleep per iteration", "1ms", config::type::duration, std::nullopt},
   {"embed_tag", "names the counter", "x", config::type::string, std::nullopt}});

run_file counting_run(std::uint64_t users, std::string tag, int repeat) {
  run_file run;
  run.scenario = "embed_counting";
  run.first_id = 1;
  run.last_id = users;
  run.settings = {{"embed_tag", std::move(tag)},
                  {"interarrival", "0"},
                  {"repeat_num", repeat},
                  {"repeat_interval", "1ms"}};
  return run;
}

struct observed {
  caf::expected<run_result> result{caf::error{}};
  int progress_calls = 0;
  std::uint64_t max_started = 0;
};

// Runs `run` to completion on `rt`, recording what the progress callback saw.
observed run_to_end(runtime& rt, const run_file& run) {
  observed seen;
  execute_options opts;
  opts.progress_interval = 5ms;
  opts.metrics_interval = 20ms;
  opts.progress = [&](const status& st, duration) {
    ++seen.progress_calls;
    seen.max_started = std::max(seen.max_started, st.users.started);
  };
  seen.result = execute(rt, run, opts);
  return seen;
}

std::uint64_t ended_normally(const status& st) { return st.users.ended.normal; }

void expect_own_run(const observed& seen, const std::string& tag, std::uint64_t users, int repeat) {
  ASSERT_TRUE(seen.result) << render(seen.result.error());
  const auto& result = *seen.result;
  EXPECT_EQ(result.final_status.state, run_state::finished);
  EXPECT_EQ(result.final_status.scenario, "embed_counting");
  EXPECT_EQ(ended_normally(result.final_status), users);
  EXPECT_GE(seen.progress_calls, 1);
  EXPECT_EQ(seen.max_started, users);
  // Only this runtime's counter, with exactly its own iterations.
  const auto& counters = result.metrics.counters;
  ASSERT_TRUE(counters.contains("embed." + tag + ".iterations"));
  EXPECT_EQ(counters.at("embed." + tag + ".iterations"), users * repeat);
  for (const auto& other : {"a", "b"}) {
    if (tag != other) {
      EXPECT_FALSE(counters.contains(std::string{"embed."} + other + ".iterations"));
    }
  }
  EXPECT_EQ(result.metrics.histograms.at("embed.pause").count(), users * repeat);
}

}  // namespace

TEST(embedding, registered_in_code_with_description_and_variables) {
  const auto* info = find_scenario("embed_counting");
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->description, "Counts iterations under a tagged name");
  ASSERT_EQ(info->variables.size(), 2u);
  EXPECT_EQ(info->variables[1].name, "embed_tag");
}

TEST(embedding, two_runtimes_run_at_once_and_shut_down_cleanly_again_and_again) {
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    config::store a_store, b_store;
    a_store.set_text("embed_pause", "2ms");
    b_store.set_text("embed_pause", "1ms");
    auto a = std::make_unique<runtime>(runtime::options::local(&a_store, 2));
    auto b = std::make_unique<runtime>(runtime::options::local(&b_store, 1));
    auto in_a =
      std::async(std::launch::async, [&] { return run_to_end(*a, counting_run(40, "a", 3)); });
    auto in_b =
      std::async(std::launch::async, [&] { return run_to_end(*b, counting_run(25, "b", 2)); });
    expect_own_run(in_a.get(), "a", 40, 3);
    expect_own_run(in_b.get(), "b", 25, 2);
    // Each store holds only its own run's settings.
    EXPECT_EQ(a_store.get<std::string>("embed_tag"), "a");
    EXPECT_EQ(b_store.get<std::string>("embed_tag"), "b");
    // Destroyed in either order, each within moments.
    const auto before = std::chrono::steady_clock::now();
    (round % 2 ? a : b).reset();
    (round % 2 ? b : a).reset();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  }
}

TEST(embedding, one_runtime_destroyed_mid_run_leaves_the_other_running) {
  config::store a_store, b_store;
  a_store.set_text("embed_pause", "1h");
  b_store.set_text("embed_pause", "1ms");
  auto a = std::make_unique<runtime>(runtime::options::local(&a_store, 1));
  runtime b{runtime::options::local(&b_store, 1)};
  apply_settings(a_store, counting_run(50, "a", 1));
  ASSERT_FALSE(a->start("embed_counting", 1, 50));
  auto in_b =
    std::async(std::launch::async, [&] { return run_to_end(b, counting_run(30, "b", 5)); });
  // a's users sleep for an hour: destroying it kills them at once.
  const auto before = std::chrono::steady_clock::now();
  a.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  expect_own_run(in_b.get(), "b", 30, 5);
  auto st = b.status();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->state, run_state::finished);
}

TEST(embedding, a_stopped_run_reports_its_forced_users) {
  config::store store;
  store.set_text("embed_pause", "1h");
  runtime rt{runtime::options::local(&store, 1)};
  apply_settings(store, counting_run(10, "a", 1));
  ASSERT_FALSE(rt.start("embed_counting", 1, 10));
  for (int i = 0; i < 500 && rt.status()->users.running < 10; ++i)
    std::this_thread::sleep_for(10ms);
  auto st = rt.status();
  ASSERT_TRUE(st);
  EXPECT_EQ(st->state, run_state::running);
  EXPECT_EQ(st->users.running, 10u);
  ASSERT_FALSE(rt.stop(true));
  auto final_status = rt.wait(10s);
  ASSERT_TRUE(final_status) << render(final_status.error());
  EXPECT_EQ(final_status->state, run_state::finished);
  EXPECT_EQ(final_status->users.ended.forced_stop, 10u);
  auto snapshot = rt.metrics_snapshot();
  ASSERT_TRUE(snapshot);
  EXPECT_EQ(snapshot->counters.at("embed.a.iterations"), 0u);
}

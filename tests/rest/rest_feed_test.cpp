// The dashboard's feed in process: a gateway on a runtime of this test. Its
// samples say when their run started: a launched run's own start, or, for a
// run started without launch (the console's `do`), the first sample that
// saw it going on.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "amoc/amoc.hpp"
#include "amoc/rest_gateway.hpp"
#include "rest_support.hpp"

using namespace std::chrono_literals;

namespace amoc::test {
namespace {

using json = nlohmann::json;

class napping final : public scenario {
public:
  task<> start(user& u) override { co_await u.sleep(20ms); }
};

const bool registered [[maybe_unused]] =
  register_scenario<napping>("feed_napping", "Sleeps 20 ms per iteration", {});

std::int64_t unix_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// The first sample on /events whose run_start is set and not `other`.
json sample_of_a_new_run(std::uint16_t port, const json& other) {
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < end) {
    const auto stream = http_stream_until(port, "/events", "\ndata: {", 3);
    const auto at = stream.rfind("\ndata: {");
    if (at != std::string::npos) {
      auto sample = json::parse(stream.substr(at + 7, stream.find('\n', at + 7) - at - 7));
      if (!sample["run_start"].is_null() && sample["run_start"] != other)
        return sample;
    }
  }
  return nullptr;
}

class rest_feed : public ::testing::Test {
protected:
  void SetUp() override {
    rest_gateway::options opts;
    opts.port = 0;
    opts.token = "feed-test-token";
    auto started = rest_gateway::start(rt, opts);
    ASSERT_TRUE(started) << render(started.error());
    gateway = std::move(*started);
  }

  config::store store;
  runtime rt{runtime::options::local(&store, 1)};
  std::unique_ptr<rest_gateway> gateway;
};

TEST_F(rest_feed, a_run_started_without_launch_starts_at_the_first_sample_that_sees_it) {
  const auto before = std::chrono::system_clock::now();
  ASSERT_FALSE(rt.start("feed_napping", 1, 3));
  const auto after = std::chrono::system_clock::now();
  const auto sample = sample_of_a_new_run(gateway->port(), nullptr);
  ASSERT_FALSE(sample.is_null()) << "no sample of the run";
  // The feed samples once a second: it sees the run within one interval.
  EXPECT_GE(sample["run_start"].get<std::int64_t>(), unix_ms(before));
  EXPECT_LE(sample["run_start"].get<std::int64_t>(), unix_ms(after + 1100ms));
  EXPECT_GE(sample["t"].get<double>(), 0.0);
  EXPECT_LT(sample["t"].get<double>(), 1.5) << sample;
  EXPECT_FALSE(rt.stop(true));
}

TEST_F(rest_feed, a_launched_run_starts_when_its_record_says) {
  ASSERT_FALSE(rt.start("feed_napping", 1, 2));
  const auto first = sample_of_a_new_run(gateway->port(), nullptr);
  ASSERT_FALSE(first.is_null());
  ASSERT_FALSE(rt.stop(true));
  ASSERT_TRUE(rt.wait(10s));

  run_file run;
  run.scenario = "feed_napping";
  run.first_id = 1;
  run.last_id = 2;
  auto launched = rt.launch(run);
  ASSERT_TRUE(launched) << render(launched.error());
  const auto sample = sample_of_a_new_run(gateway->port(), first["run_start"]);
  ASSERT_FALSE(sample.is_null()) << "no sample of the launched run";
  EXPECT_EQ(sample["run_start"].get<std::int64_t>(), unix_ms((*launched)->result().started_at));
  EXPECT_GE(sample["t"].get<double>(), 0.0);
  (*launched)->interrupt();
  (*launched)->interrupt();
  EXPECT_TRUE((*launched)->wait(10s));
}

}  // namespace
}  // namespace amoc::test

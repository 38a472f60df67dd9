// Controller states and every error path of the control messages.

#include "fixture.hpp"
#include "test_scenarios.hpp"

using namespace std::chrono_literals;
using namespace amoc;
using namespace amoc::test;

namespace {

struct controller_test : node_test {
  controller_test() {
    recorder::get().reset();
    store.set_text("interarrival", "0");
    store.set_text("t_sleep", "1s");
    store.set_text("repeat_num", "1");
  }

  caf::error add(std::uint64_t n) {
    auto r = call<caf::ok_atom>(node, atom::add_v, n);
    return r ? caf::error{} : r.error();
  }
  caf::error stop(bool force) {
    auto r = call<caf::ok_atom>(node, atom::stop_v, force);
    return r ? caf::error{} : r.error();
  }
};

bool is(const caf::error& err, ec code) {
  return err.category() == ec_category && err.code() == static_cast<std::uint8_t>(code);
}

}  // namespace

TEST_F(controller_test, goes_idle_running_finished_and_can_run_again) {
  EXPECT_EQ(current().state, run_state::idle);
  ASSERT_FALSE(start("t_sleep", 1, 3));
  auto st = current();
  EXPECT_EQ(st.state, run_state::running);
  EXPECT_EQ(st.scenario, "t_sleep");
  EXPECT_EQ(recorder::get().inits, 1);
  advance(1100ms, 10ms);
  EXPECT_EQ(current().state, run_state::finished);
  EXPECT_EQ(recorder::get().terminates, 1);
  ASSERT_FALSE(start("t_sleep", 10, 11)) << "a new run can start after finished";
  EXPECT_EQ(current().users.started, 2u) << "counts start over with the new run";
  EXPECT_EQ(recorder::get().inits, 2);
}

TEST_F(controller_test, stop_goes_through_terminating_to_finished) {
  store.set_text("t_sleep", "10s");
  ASSERT_FALSE(start("t_sleep", 1, 3));
  ASSERT_FALSE(stop(false));
  EXPECT_EQ(current().state, run_state::terminating);
  EXPECT_EQ(current().users.stopping, 3u);
  advance(10100ms, 100ms);
  auto st = current();
  EXPECT_EQ(st.state, run_state::finished);
  EXPECT_EQ(st.users.ended[amoc::exit::graceful_stop], 0u)
    << "repeat_num 1: the iteration in progress was the last one anyway";
  EXPECT_EQ(st.users.ended[amoc::exit::normal], 3u);
}

TEST_F(controller_test, forced_stop_upgrades_a_graceful_one) {
  store.set_text("t_sleep", "1h");
  ASSERT_FALSE(start("t_sleep", 1, 3));
  ASSERT_FALSE(stop(false));
  ASSERT_FALSE(stop(true));
  run();
  auto st = current();
  EXPECT_EQ(st.state, run_state::finished);
  EXPECT_EQ(st.users.ended[amoc::exit::forced_stop], 3u);
}

TEST_F(controller_test, add_continues_with_the_next_ids) {
  store.set_text("t_sleep", "1h");
  ASSERT_FALSE(start("t_sleep", 5, 6));
  ASSERT_FALSE(add(3));
  run();
  EXPECT_EQ(recorder::get().iterations_started, (std::vector<std::uint64_t>{5, 6, 7, 8, 9}));
  EXPECT_EQ(current().next_id, 10u);
}

TEST_F(controller_test, refuses_calls_that_do_not_fit_the_state) {
  EXPECT_TRUE(is(add(1), ec::wrong_state));
  EXPECT_TRUE(is(stop(false), ec::wrong_state));
  EXPECT_FALSE(call<std::uint64_t>(node, atom::remove_v, std::uint64_t{1}, false));
  store.set_text("t_sleep", "1h");
  ASSERT_FALSE(start("t_sleep", 1, 1));
  auto again = start("t_sleep", 1, 1);
  EXPECT_TRUE(is(again, ec::wrong_state));
  EXPECT_NE(render(again).find("running"), std::string::npos) << render(again);
  EXPECT_TRUE(is(add(0), ec::invalid_argument));
}

TEST_F(controller_test, rejects_an_empty_range_and_unknown_scenarios) {
  EXPECT_TRUE(is(start("t_sleep", 5, 4), ec::invalid_argument));
  auto err = start("no_such_scenario", 1, 1);
  EXPECT_TRUE(is(err, ec::unknown_scenario));
  EXPECT_NE(render(err).find("no_such_scenario"), std::string::npos);
  EXPECT_EQ(current().state, run_state::error);
}

TEST_F(controller_test, a_failing_init_ends_in_error_without_users) {
  auto err = start("t_init_fail", 1, 10);
  EXPECT_TRUE(is(err, ec::scenario_init_failed));
  auto st = current();
  EXPECT_EQ(st.state, run_state::error);
  EXPECT_NE(st.error.find("cannot reach the server"), std::string::npos) << st.error;
  EXPECT_EQ(st.users.started, 0u);
  ASSERT_FALSE(start("t_sleep", 1, 1)) << "a new run can start after an error";
}

TEST_F(controller_test, a_bad_setting_fails_the_run_before_any_user_starts) {
  store.set_text("interarrival", "soon");
  auto err = start("t_sleep", 1, 10);
  EXPECT_TRUE(is(err, ec::invalid_config));
  const auto text = render(err);
  EXPECT_NE(text.find("interarrival"), std::string::npos) << text;
  EXPECT_NE(text.find("soon"), std::string::npos) << text;
  EXPECT_EQ(current().users.started, 0u);
  EXPECT_EQ(recorder::get().inits, 0);
}

TEST_F(controller_test, a_bad_scenario_variable_is_named) {
  store.set_text("t_sleep", "-5ms");
  auto err = start("t_sleep", 1, 10);
  EXPECT_TRUE(is(err, ec::invalid_config));
  EXPECT_NE(render(err).find("t_sleep"), std::string::npos) << render(err);
}

TEST_F(controller_test, wait_answers_when_the_run_ends) {
  ASSERT_FALSE(start("t_sleep", 1, 2));
  auto handle = self->request(node, caf::infinite, atom::wait_v);
  run();
  EXPECT_EQ(self->mailbox().size(), 0u) << "no answer while the run is going";
  advance(1100ms, 10ms);
  status final_status;
  handle.receive([&](status& st) { final_status = st; },
                 [&](caf::error& err) { FAIL() << render(err); });
  EXPECT_EQ(final_status.state, run_state::finished);
}

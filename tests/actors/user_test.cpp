// One user actor on its own: its down message says why it ended.

#include "fixture.hpp"
#include "run_context.hpp"
#include "test_scenarios.hpp"
#include "user_actor.hpp"

#include <caf/event_based_actor.hpp>

using namespace std::chrono_literals;
using namespace amoc;
using namespace amoc::test;

namespace {

struct user_test : actor_test {
  user_test() {
    recorder::get().reset();
    store.declare(builtin_variables());
    store.set_text("t_sleep", "1s");
    store.set_text("repeat_interval", "0");
    store.set_text("repeat_num", "2");
  }

  ~user_test() override {
    if (user_)
      self->send_exit(user_, caf::exit_reason::kill);
    run();
  }

  /// Spawns one user of `scenario`, monitored by the test's scoped actor.
  caf::actor spawn_user(const char* scenario) {
    auto instance = find_scenario(scenario)->make();
    detail::scenario_access::bind(*instance, store, metrics);
    instance->init();
    run_ = std::make_shared<detail::run_context>(std::move(instance), store,
                                                 run_settings::from(store), metrics, sys);
    // The test keeps the handle, as the supervisor does: an unreferenced
    // actor is destroyed as unreachable.
    user_ = detail::spawn_user(sys, 7, run_);
    self->monitor(user_);
    run();
    return user_;
  }

  /// The reason in the down message the test received.
  caf::error down_reason() {
    caf::error reason;
    self->receive([&](caf::down_msg& msg) { reason = msg.reason; },
                  caf::after(std::chrono::seconds(0)) >>
                    [] { ADD_FAILURE() << "no down message"; });
    return reason;
  }

  std::shared_ptr<detail::run_context> run_;
  caf::actor user_;
};

amoc::exit reason_of(const caf::error& err) {
  EXPECT_EQ(err.category(), exit_category) << render(err);
  return exit_reason_of(err);
}

}  // namespace

TEST_F(user_test, ends_normal_after_repeat_num_iterations) {
  spawn_user("t_sleep");
  advance(2200ms, 100ms);  // sleeps end on the first timer tick after 1s
  EXPECT_EQ(reason_of(down_reason()), amoc::exit::normal);
  EXPECT_EQ(recorder::get().iterations_done.size(), 2u);
}

TEST_F(user_test, graceful_stop_waits_for_the_iteration) {
  auto user = spawn_user("t_sleep");
  self->send_exit(user, make_error(amoc::exit::graceful_stop));
  run();
  EXPECT_EQ(run_->stopping.load(), 1);
  advance(1100ms, 100ms);
  EXPECT_EQ(reason_of(down_reason()), amoc::exit::graceful_stop);
  EXPECT_EQ(recorder::get().iterations_done.size(), 1u);
  EXPECT_EQ(run_->stopping.load(), 0) << "counters are released with the user";
}

TEST_F(user_test, forced_stop_ends_it_at_once) {
  auto user = spawn_user("t_sleep");
  self->send_exit(user, make_error(amoc::exit::forced_stop));
  run();
  EXPECT_EQ(reason_of(down_reason()), amoc::exit::forced_stop);
  EXPECT_EQ(recorder::get().frames_destroyed, (std::vector<std::uint64_t>{7}));
  EXPECT_EQ(run_->running.load(), 0);
}

TEST_F(user_test, a_throwing_scenario_ends_with_scenario_error_and_its_message) {
  store.set_text("t_throw_at", "1");
  spawn_user("t_throw");
  advance(20ms);
  auto reason = down_reason();
  EXPECT_EQ(reason_of(reason), amoc::exit::scenario_error);
  EXPECT_NE(context_of(reason).find("boom at iteration 1"), std::string::npos) << render(reason);
}

TEST_F(user_test, a_forced_stop_overrides_a_graceful_one_not_yet_seen) {
  auto user = spawn_user("t_sleep");
  // Both arrive before the user runs again: the forced one decides.
  self->send_exit(user, make_error(amoc::exit::graceful_stop));
  self->send_exit(user, make_error(amoc::exit::forced_stop));
  run();
  EXPECT_EQ(reason_of(down_reason()), amoc::exit::forced_stop);
  EXPECT_EQ(recorder::get().frames_destroyed, (std::vector<std::uint64_t>{7}));
}

TEST_F(user_test, a_graceful_stop_does_not_soften_a_forced_one_not_yet_seen) {
  auto user = spawn_user("t_sleep");
  self->send_exit(user, make_error(amoc::exit::forced_stop));
  self->send_exit(user, make_error(amoc::exit::graceful_stop));
  run();
  EXPECT_EQ(reason_of(down_reason()), amoc::exit::forced_stop);
}

TEST_F(user_test, a_request_to_a_user_is_answered_with_an_error) {
  auto user = spawn_user("t_sleep");
  auto reply = self->request(user, std::chrono::seconds(1), amoc::atom::status_v);
  run();
  // Simulated time: an unanswered request times out instead of hanging the test.
  advance(1100ms, 100ms);
  caf::error answer;
  reply.receive([](caf::message&) { ADD_FAILURE() << "a user answered"; },
                [&](caf::error& err) { answer = std::move(err); });
  EXPECT_EQ(answer, make_error(caf::sec::unexpected_message)) << render(answer);
}

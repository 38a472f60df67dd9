#include "fixture.hpp"

#include "amoc/defaults.hpp"

namespace amoc::test {

test_config::test_config() {
  amoc::add_message_types(*this);
  set("scheduler.policy", caf::atom("testing"));
  set("logger.verbosity", caf::atom("quiet"));
}

actor_test::actor_test()
    : sys(cfg), sched(dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())), self(sys) {
  // The test clock starts 1ns past its epoch; align it to the timer wheel's
  // resolution so simulated deadlines land exactly on ticks.
  const auto res = std::chrono::duration_cast<caf::timespan>(defaults::runtime::timer_resolution);
  const auto since_epoch = sys.clock().now().time_since_epoch();
  sched.advance_time(res - since_epoch % res);
}

actor_test::~actor_test() {
  // Leave nothing running: let exits and their down messages propagate.
  run();
  // Bounded: a test that leaves repeating users alive must not hang here.
  for (int i = 0; i < 10000 && sched.trigger_timeouts() > 0; ++i)
    run();
}

void actor_test::advance(duration span, duration step) {
  for (duration passed{}; passed < span; passed += step) {
    sched.advance_time(std::chrono::duration_cast<caf::timespan>(step));
    run();
  }
}

node_test::node_test() : node(caf::actor_cast<caf::actor>(spawn_local_node(sys, store, metrics))) {
  run();
}

node_test::~node_test() {
  // The supervisor force-stops its users when the controller goes.
  self->send_exit(node, caf::exit_reason::user_shutdown);
  run();
}

caf::error node_test::start(const std::string& scenario, std::uint64_t first, std::uint64_t last) {
  auto result = call<caf::ok_atom>(node, atom::run_v, scenario, first, last);
  return result ? caf::error{} : result.error();
}

std::uint64_t node_test::remove(std::uint64_t n, bool force) {
  auto result = call<std::uint64_t>(node, atom::remove_v, n, force);
  EXPECT_TRUE(result) << render(result.error());
  return result ? *result : 0;
}

status node_test::current() {
  auto result = call<status>(node, atom::status_v);
  EXPECT_TRUE(result) << render(result.error());
  return result ? *result : status{};
}

}  // namespace amoc::test

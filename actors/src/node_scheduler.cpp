#include "node_scheduler.hpp"

#include <thread>
#include <typeinfo>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/detail/set_thread_name.hpp>
#include <caf/detail/thread_safe_actor_clock.hpp>
#include <caf/policy/work_sharing.hpp>
#include <caf/scheduler/coordinator.hpp>

#include "user_actor.hpp"

namespace amoc::detail {

namespace {

class node_clock : public caf::detail::thread_safe_actor_clock {
public:
  void cancel_timeouts(caf::abstract_actor* self) override {
    // An exact type check: for a user it compares two type_info names by
    // address, where a dynamic_cast walks CAF's class hierarchy.
    if (typeid(*self) != typeid(user_actor))
      thread_safe_actor_clock::cancel_timeouts(self);
  }
};

class node_coordinator : public caf::scheduler::coordinator<caf::policy::work_sharing> {
public:
  using super = caf::scheduler::coordinator<caf::policy::work_sharing>;

  explicit node_coordinator(caf::actor_system& sys) : super(sys) {}

  node_clock& clock() noexcept override { return clock_; }

protected:
  void start() override {
    // The base class starts a dispatch thread for its own (now unused) clock;
    // this one serves the clock every actor actually uses.
    dispatcher_ = std::thread{[this] {
      caf::detail::set_thread_name("amoc.clock");
      clock_.run_dispatch_loop();
    }};
    super::start();
  }

  void stop() override {
    super::stop();
    clock_.cancel_dispatch_loop();
    dispatcher_.join();
  }

private:
  node_clock clock_;
  std::thread dispatcher_;
};

}  // namespace

void install_node_scheduler(caf::actor_system_config& cfg) {
  cfg.module_factories.push_back(
    [](caf::actor_system& sys) -> caf::actor_system::module* { return new node_coordinator(sys); });
}

}  // namespace amoc::detail

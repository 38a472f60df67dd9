#include "timer_ticker.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

#include "amoc/actors.hpp"
#include "node_scheduler.hpp"
#include "user_actor.hpp"

namespace amoc::detail {

namespace {

using due_users = std::vector<std::pair<caf::strong_actor_ptr, std::uint32_t>>;

// Expires what is due at `now` and wakes those users (and rings the wheel's own
// timer when it is due); when to tick next
// (nothing once the wheel is idle).
std::optional<timer_wheel::time_point> tick(timer_wheel& wheel,
                                            std::chrono::steady_clock::time_point now) {
  // Kept per thread: a tick wakes a user or two most of the time, and a
  // fresh vector would cost an allocation for each.
  thread_local due_users due;
  due.clear();
  // Under the wheel's lock a linked user has not ended (it unlinks itself
  // first), and until it ends it holds a reference to itself: taking one is safe.
  bool own_due = false;
  auto next = wheel.expire(now, [&](timer_hook& hook) {
    if (wheel.is_own(hook)) {
      own_due = true;
      return;
    }
    auto& user = static_cast<user_actor&>(hook);
    due.emplace_back(user.ctrl(), user.token());
  });
  for (auto& [ptr, token] : due)
    static_cast<user_actor*>(ptr->get())->post(token);
  due.clear();  // no reference to an actor outlives the tick
  if (own_due)
    wheel.ring_own();
  return next;
}

// The wheel as the alarm of one worker's loop: the loop sleeps until its
// planned wake and ticks it then.
class loop_ticker final : public loop_alarm {
public:
  explicit loop_ticker(std::shared_ptr<timer_wheel> wheel) : wheel_(std::move(wheel)) {}

  std::optional<time_point> due() const override { return wheel_->planned_wake(); }
  void ring(time_point now) override { tick(*wheel_, now); }

  // From the scheduler's balancer: while the loop is held (scenario code that
  // never yields), it cannot ring; once the plan is 50 ms overdue the
  // balancer ticks instead, so the other users' timers still fire.
  void rescue() {
    using namespace std::chrono_literals;
    const auto now = std::chrono::steady_clock::now();
    if (const auto wake = wheel_->planned_wake(); wake && now - *wake > 50ms)
      tick(*wheel_, now);
  }

private:
  std::shared_ptr<timer_wheel> wheel_;
};

// Installs the alarm on its loop for as long as it lives.
class loop_ticker_handle final : public ticker {
public:
  loop_ticker_handle(caf::actor_system& sys, boost::asio::io_context& loop,
                     std::shared_ptr<loop_ticker> impl)
      : loop_(loop), impl_(std::move(impl)),
        rescue_(watch_from_balancer(sys, [weak = std::weak_ptr{impl_}] {
          if (auto t = weak.lock())
            t->rescue();
        })) {
    set_loop_alarm(loop_, impl_);
  }
  ~loop_ticker_handle() override { clear_loop_alarm(loop_, impl_); }
  // The plan moved earlier: the loop may sleep towards the later one.
  void look_again() override { wake_loop(loop_); }

private:
  boost::asio::io_context& loop_;
  std::shared_ptr<loop_ticker> impl_;
  std::shared_ptr<void> rescue_;  // released first: no rescue of a ticker being destroyed
};

// In simulated time: one delayed tick pending at a time, the one for the
// current plan; a tick for a plan since replaced is ignored.
caf::behavior ticker_actor(caf::stateful_actor<std::optional<timer_wheel::time_point>>* self,
                           std::shared_ptr<timer_wheel> wheel) {
  auto wait_until = [self](timer_wheel::time_point wake) {
    self->state = wake;
    const auto now = self->clock().now();
    self->delayed_send(self, wake > now ? wake - now : duration::zero(), atom::tick_v,
                       wake.time_since_epoch().count());
  };
  return {
    [self, wheel, wait_until](atom::start) {  // look again at the plan
      if (auto wake = wheel->planned_wake(); wake && (!self->state || *wake < *self->state))
        wait_until(*wake);
    },
    [self, wheel, wait_until](atom::tick, std::int64_t planned_ns) {
      if (!self->state || self->state->time_since_epoch().count() != planned_ns)
        return;
      self->state.reset();
      if (auto next = tick(*wheel, self->clock().now()))
        wait_until(*next);
    },
  };
}

class actor_ticker final : public ticker {
public:
  actor_ticker(caf::actor_system& sys, std::shared_ptr<timer_wheel> wheel)
      : actor_(sys.spawn(ticker_actor, std::move(wheel))) {}
  ~actor_ticker() override { caf::anon_send_exit(actor_, caf::exit_reason::user_shutdown); }
  void look_again() override { caf::anon_send(actor_, atom::start_v); }

private:
  caf::actor actor_;
};

}  // namespace

std::unique_ptr<ticker> ticker::on_loop(caf::actor_system& sys, boost::asio::io_context& loop,
                                        std::shared_ptr<timer_wheel> wheel) {
  return std::make_unique<loop_ticker_handle>(sys, loop,
                                              std::make_shared<loop_ticker>(std::move(wheel)));
}

std::unique_ptr<ticker> ticker::as_actor(caf::actor_system& sys,
                                         std::shared_ptr<timer_wheel> wheel) {
  return std::make_unique<actor_ticker>(sys, std::move(wheel));
}

}  // namespace amoc::detail

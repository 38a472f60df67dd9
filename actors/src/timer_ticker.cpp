#include "timer_ticker.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include "amoc/actors.hpp"
#include "node_scheduler.hpp"
#include "user_actor.hpp"

namespace amoc::detail {

namespace {

using due_users = std::vector<std::pair<caf::strong_actor_ptr, std::uint32_t>>;

// Expires what is due at `now` and wakes those users; false once the wheel is idle.
bool tick(timer_wheel& wheel, std::chrono::steady_clock::time_point now) {
  due_users due;
  // Under the wheel's lock a linked user's state cannot be destroyed, and
  // while it lives it holds a reference to its actor: copying it is safe.
  const bool more = wheel.expire(now, [&](timer_hook& hook) {
    const auto& user = static_cast<const user_state&>(hook);
    due.emplace_back(user.handle(), user.token());
  });
  for (auto& [ptr, token] : due)
    caf::anon_send(caf::actor_cast<caf::actor>(std::move(ptr)), atom::wake_v, token);
  return more;
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

class loop_ticker final : public ticker, public std::enable_shared_from_this<loop_ticker> {
public:
  loop_ticker(boost::asio::io_context& loop, std::shared_ptr<timer_wheel> wheel)
      : timer_(loop), wheel_(std::move(wheel)) {}

  // The wheel asks for ticks once per idle-to-armed change, and only after
  // the previous chain of ticks ended: there is never more than one chain.
  void start() override {
    last_tick_.store(now_ns(), std::memory_order_relaxed);
    chain_.store(true, std::memory_order_relaxed);
    boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->next(); });
  }

  // From the scheduler's balancer: while the loop is held (scenario code that
  // never yields), the chain cannot tick; the balancer ticks instead, so the
  // other users' timers still fire (10 ms late at most).
  void rescue() {
    using namespace std::chrono_literals;
    const auto stale = now_ns() - last_tick_.load(std::memory_order_relaxed)
                       > std::chrono::nanoseconds{50ms}.count();
    if (chain_.load(std::memory_order_relaxed) && stale) {
      last_tick_.store(now_ns(), std::memory_order_relaxed);
      tick(*wheel_, std::chrono::steady_clock::now());
    }
  }

private:
  void next() {
    timer_.expires_after(wheel_->resolution());
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      self->last_tick_.store(now_ns(), std::memory_order_relaxed);
      if (!ec && tick(*self->wheel_, std::chrono::steady_clock::now()))
        self->next();
      else
        self->chain_.store(false, std::memory_order_relaxed);
    });
  }

  boost::asio::steady_timer timer_;
  std::shared_ptr<timer_wheel> wheel_;
  std::atomic<std::int64_t> last_tick_{0};
  std::atomic<bool> chain_{false};  // a chain of ticks is posted or running
};

// The ticker's handlers keep it alive; the handle run_context owns only starts it.
class loop_ticker_handle final : public ticker {
public:
  loop_ticker_handle(caf::actor_system& sys, std::shared_ptr<loop_ticker> impl)
      : impl_(std::move(impl)), rescue_(watch_from_balancer(sys, [weak = std::weak_ptr{impl_}] {
          if (auto t = weak.lock())
            t->rescue();
        })) {}
  void start() override { impl_->start(); }

private:
  std::shared_ptr<loop_ticker> impl_;
  std::shared_ptr<void> rescue_;  // released first: no rescue of a ticker being destroyed
};

caf::behavior ticker_actor(caf::event_based_actor* self, std::shared_ptr<timer_wheel> wheel) {
  return {
    [self, wheel](atom::tick) {
      if (tick(*wheel, self->clock().now()))
        self->delayed_send(self, wheel->resolution(), atom::tick_v);
    },
  };
}

class actor_ticker final : public ticker {
public:
  actor_ticker(caf::actor_system& sys, std::shared_ptr<timer_wheel> wheel)
      : actor_(sys.spawn(ticker_actor, std::move(wheel))) {}
  ~actor_ticker() override { caf::anon_send_exit(actor_, caf::exit_reason::user_shutdown); }
  void start() override { caf::anon_send(actor_, atom::tick_v); }

private:
  caf::actor actor_;
};

}  // namespace

std::unique_ptr<ticker> ticker::on_loop(caf::actor_system& sys, boost::asio::io_context& loop,
                                        std::shared_ptr<timer_wheel> wheel) {
  return std::make_unique<loop_ticker_handle>(
    sys, std::make_shared<loop_ticker>(loop, std::move(wheel)));
}

std::unique_ptr<ticker> ticker::as_actor(caf::actor_system& sys,
                                         std::shared_ptr<timer_wheel> wheel) {
  return std::make_unique<actor_ticker>(sys, std::move(wheel));
}

}  // namespace amoc::detail

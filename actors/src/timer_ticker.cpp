#include "timer_ticker.hpp"

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

class loop_ticker final : public ticker, public std::enable_shared_from_this<loop_ticker> {
public:
  loop_ticker(boost::asio::io_context& loop, std::shared_ptr<timer_wheel> wheel)
      : timer_(loop), wheel_(std::move(wheel)) {}

  // The wheel asks for ticks once per idle-to-armed change, and only after
  // the previous chain of ticks ended: there is never more than one chain.
  void start() override {
    boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->next(); });
  }

private:
  void next() {
    timer_.expires_after(wheel_->resolution());
    timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec && tick(*self->wheel_, std::chrono::steady_clock::now()))
        self->next();
    });
  }

  boost::asio::steady_timer timer_;
  std::shared_ptr<timer_wheel> wheel_;
};

// The ticker's handlers keep it alive; the handle run_context owns only starts it.
class loop_ticker_handle final : public ticker {
public:
  explicit loop_ticker_handle(std::shared_ptr<loop_ticker> impl) : impl_(std::move(impl)) {}
  void start() override { impl_->start(); }

private:
  std::shared_ptr<loop_ticker> impl_;
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

std::unique_ptr<ticker> ticker::on_loop(boost::asio::io_context& loop,
                                        std::shared_ptr<timer_wheel> wheel) {
  return std::make_unique<loop_ticker_handle>(
    std::make_shared<loop_ticker>(loop, std::move(wheel)));
}

std::unique_ptr<ticker> ticker::as_actor(caf::actor_system& sys,
                                         std::shared_ptr<timer_wheel> wheel) {
  return std::make_unique<actor_ticker>(sys, std::move(wheel));
}

}  // namespace amoc::detail

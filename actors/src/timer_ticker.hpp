#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>

#include <caf/fwd.hpp>

#include "timer_wheel.hpp"

namespace amoc::detail {

/// What makes a node's timer wheel turn: it sleeps until the wheel's next
/// occupied slot, expires what is due, wakes those users with
/// `(wake, token)`, and stops by itself once no timer is armed.
class ticker {
public:
  /// Ticks as the alarm of one of the node scheduler's event loops: no clock
  /// thread and no message per tick (measured: the clock thread spent 30% of
  /// the XMPP client's CPU ticking every millisecond), and no Asio timer.
  /// While that loop is held by scenario code, the scheduler's balancer
  /// thread ticks instead.
  [[nodiscard]] static std::unique_ptr<ticker> on_loop(caf::actor_system& sys,
                                                       boost::asio::io_context& loop,
                                                       std::shared_ptr<timer_wheel> wheel);
  /// Ticks as an actor on the actor system's clock: CAF's deterministic
  /// test scheduler then drives it in simulated time.
  [[nodiscard]] static std::unique_ptr<ticker> as_actor(caf::actor_system& sys,
                                                        std::shared_ptr<timer_wheel> wheel);

  virtual ~ticker() = default;
  /// The wheel's plan moved earlier or it was idle (`timer_wheel::arm`
  /// returned true): wake at its `planned_wake`. Any thread.
  virtual void look_again() = 0;
};

}  // namespace amoc::detail

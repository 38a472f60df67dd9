#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/io_context.hpp>

#include <caf/fwd.hpp>

namespace caf {
class actor_system_config;
}

namespace amoc::detail {

/// Installs amoc's scheduler in `cfg`: each worker thread is an Asio event
/// loop (`io_context`) that runs actors and network I/O alike.
///
/// Why: a user waiting for a stanza is woken by the I/O thread that read it.
/// With separate I/O and actor threads, every wake is a futex wake and a
/// context switch (measured: 60% of the client's CPU on this VM). When the
/// thread that reads the socket is also the one that runs the user, waking
/// it is a post to that thread's own queue. Jobs stay on the worker that
/// scheduled them unless it has a backlog, then they go to the least busy one.
///
/// Its clock also skips CAF's per-actor timeout cancellation for user
/// actors, which never arm CAF timeouts (their timers live in the node's
/// timer wheel): for a million users that work dominated a forced stop.
void install_node_scheduler(caf::actor_system_config& cfg);

/// The event loops of `sys`'s workers, when it runs amoc's scheduler (empty otherwise).
[[nodiscard]] std::vector<boost::asio::io_context*> worker_io_contexts(caf::actor_system& sys);

/// What a worker's event loop wakes for besides its sockets and handlers:
/// the node's timer wheel. The loop sleeps in the reactor's epoll_wait no
/// longer than `due()`, then rings it. An Asio timer would cost two
/// timerfd_settime calls per expiry (measured: two of the seven system calls
/// a chat message cost), and each tick is one.
class loop_alarm {
public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~loop_alarm() = default;
  /// When it is due next; nothing while nothing is due. Read after every
  /// handler the loop runs, so it must be cheap; any thread may move it.
  [[nodiscard]] virtual std::optional<time_point> due() const = 0;
  /// Its time has come: on the loop's thread, inside a `loop_turn`.
  virtual void ring(time_point now) = 0;
};

/// Has the worker that runs `loop` (one of `worker_io_contexts`) keep
/// `alarm`, in place of the one it keeps. After moving its `due()` earlier
/// from elsewhere than a handler of `loop`, call `wake_loop`.
void set_loop_alarm(boost::asio::io_context& loop, std::shared_ptr<loop_alarm> alarm);
/// The worker that runs `loop` stops keeping `alarm`, if it still keeps it.
void clear_loop_alarm(boost::asio::io_context& loop, std::shared_ptr<loop_alarm> alarm);
/// Makes `loop` look at its alarm's `due()` again (a sleeping loop wakes).
void wake_loop(boost::asio::io_context& loop);

/// Calls `check` about every 10 ms from the scheduler's balancer thread (the
/// one that moves jobs off a worker held by scenario code) until the returned
/// handle is released; nullptr when `sys` does not run amoc's scheduler.
/// For what lives on one worker loop and must go on when that loop is held.
[[nodiscard]] std::shared_ptr<void> watch_from_balancer(caf::actor_system& sys,
                                                        std::function<void()> check);

}  // namespace amoc::detail

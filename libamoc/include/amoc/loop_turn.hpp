#pragma once

/// `amoc::loop_turn`: marks a handler of an event loop (a socket that became
/// readable, a timer) while it runs on a runtime worker thread.

namespace amoc {

/// The users a handler wakes on its own worker thread run when the outermost
/// `loop_turn` on that thread ends, right after the handler, instead of
/// queueing behind the loop's next look at its sockets: with Asio that look
/// is one more `epoll_wait` for every event that wakes a user (six per XMPP
/// login, one per timer tick). Declare it before the lock the handler takes,
/// so that the users run once the lock is free. Elsewhere (a thread that is
/// no worker, a test's loop) it changes nothing.
class loop_turn {
public:
  using flush_fn = void (*)();

  loop_turn() noexcept;
  ~loop_turn();
  loop_turn(const loop_turn&) = delete;
  loop_turn& operator=(const loop_turn&) = delete;

  /// Whether a handler on this thread is inside a turn.
  [[nodiscard]] static bool active() noexcept;
  /// Set by the runtime on each worker thread: runs what the turn held back.
  static void on_this_thread(flush_fn flush) noexcept;
};

}  // namespace amoc

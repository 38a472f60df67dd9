#pragma once

#include <atomic>
#include <coroutine>
#include <cstdint>
#include <memory>

#include <caf/actor.hpp>
#include <caf/error.hpp>
#include <caf/monitorable_actor.hpp>
#include <caf/resumable.hpp>

#include "amoc/task.hpp"
#include "amoc/user.hpp"
#include "run_context.hpp"
#include "timer_wheel.hpp"

namespace amoc::detail {

/// One simulated user: a CAF actor (an address, monitors, links, exit
/// messages) that drives the scenario coroutine, repeats it, and turns exit
/// requests into graceful or forced stops.
///
/// It is not a `scheduled_actor`: a user receives nothing but wakes and exit
/// messages, and CAF's mailbox, behaviour stack and response handling cost a
/// kilobyte per user and a heap-allocated message per wake. Here a wake is a
/// ticket stored in one of two slots (the newest from I/O, the newest from a
/// timer), and the actor schedules itself on the node scheduler as a
/// resumable when the first slot fills.
class user_actor final : public caf::monitorable_actor,
                         public caf::resumable,
                         public amoc::user,
                         public timer_hook {
public:
  enum class phase : std::uint8_t { idle, running, waiting, stopping };

  user_actor(caf::actor_config& cfg, std::uint64_t id, std::shared_ptr<run_context> run);

  /// Registers the user with its actor system and schedules its first run
  /// (which starts the first iteration); once, right after `make_actor`.
  void launch();

  // ---- caf::abstract_actor --------------------------------------------------
  /// Exit messages request a stop; anything else is answered as unexpected.
  void enqueue(caf::mailbox_element_ptr what, caf::execution_unit* host) override;
  const char* name() const override { return "amoc.user"; }

  // ---- caf::resumable -------------------------------------------------------
  subtype_t subtype() const override { return resumable::function_object; }
  resume_result resume(caf::execution_unit* unit, std::size_t max_throughput) override;
  void intrusive_ptr_add_ref_impl() override { intrusive_ptr_add_ref(ctrl()); }
  void intrusive_ptr_release_impl() override { intrusive_ptr_release(ctrl()); }

  // ---- amoc::user -----------------------------------------------------------
  metrics::registry& metrics() const override { return run_->metrics; }
  std::uint32_t park(std::coroutine_handle<> h, duration timeout) override;
  /// From any thread, while the coroutine that parked lives.
  void wake(std::uint32_t ticket) noexcept override { post(ticket | io_wake_flag); }
  io_pool& io() const override { return run_->io; }

  /// Marks a wake that comes from I/O; tokens never use this bit.
  static constexpr std::uint32_t io_wake_flag = std::uint32_t{1} << 31;

  /// The ticket the armed timer carries (read under the wheel's lock).
  [[nodiscard]] std::uint32_t token() const noexcept { return token_; }
  /// Queues a wake with `ticket` and schedules the user if it is idle; from
  /// any thread, while the caller holds a reference to the actor.
  void post(std::uint32_t ticket) noexcept;
  /// What an exit message with `reason` does, without the message; from any
  /// thread, while the caller holds a reference to the actor.
  void request_exit(caf::error reason);

protected:
  void suspend_for(std::coroutine_handle<> h, duration span) override;
  const config::store& settings() const override { return run_->store; }
  const users::table* users_table() const override { return run_->rows.get(); }

private:
  void schedule() noexcept;
  [[nodiscard]] bool has_pending() const noexcept;
  bool handle_pending();
  void on_exit_request(const caf::error& reason);
  void on_wake(std::uint32_t ticket);
  void begin_iteration();
  void after_resume();
  void end_iteration();
  void quit(caf::error reason);
  void finish(caf::execution_unit* unit);
  void enter(phase next);
  void schedule_wake(duration span);
  void next_token() noexcept;
  void resume_suspended(wake_cause cause);

  // Keeps the user alive until it ends (nobody else has to hold it); dropped
  // when it ends, after its end went into the run's end log and the down
  // messages went out.
  caf::strong_actor_ptr keep_alive_;
  // Declared before root_ so the coroutine frame dies first: its locals may
  // still refer to the scenario instance.
  std::shared_ptr<run_context> run_;
  task<> root_;
  std::coroutine_handle<> suspended_;
  // Wakes posted and not yet run: the newest ticket from I/O and from a
  // timer, with bit 32 set (0: none). Only a ticket equal to the token
  // counts, and tokens only grow, so an older ticket never displaces a newer one.
  std::atomic<std::uint64_t> io_slot_{0};
  std::atomic<std::uint64_t> timer_slot_{0};
  // An exit message came; its reason waits in exit_request_ (under mtx_).
  std::atomic<bool> exit_requested_{false};
  // Queued on (or running on) a worker; stays set once the user ended.
  std::atomic<bool> scheduled_{false};
  caf::error exit_request_;  // guarded by mtx_
  caf::error quit_reason_;   // set by quit(); the user ends when its run returns
  std::uint32_t token_ = 0;
  phase phase_ = phase::idle;
  bool started_ = false;
  bool quitting_ = false;
};

/// Spawns user `id` of `run` on `sys` (its first run starts the scenario).
caf::actor spawn_user(caf::actor_system& sys, std::uint64_t id, std::shared_ptr<run_context> run);

}  // namespace amoc::detail

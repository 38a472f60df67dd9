#pragma once

#include <coroutine>
#include <cstdint>
#include <memory>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "amoc/task.hpp"
#include "amoc/user.hpp"
#include "run_context.hpp"
#include "timer_wheel.hpp"

namespace amoc::detail {

/// The state of one simulated user actor: it drives the scenario coroutine,
/// repeats it, and turns exit requests into graceful or forced stops.
class user_state : public amoc::user, public timer_hook {
public:
  static inline const char* name = "amoc.user";

  enum class phase : std::uint8_t { idle, running, waiting, stopping };

  explicit user_state(caf::event_based_actor* self) noexcept;
  ~user_state();

  /// On the user's first run: joins the run (and passes its spawn gate).
  void setup(std::uint64_t id, std::shared_ptr<run_context> run);

  /// Starts the next iteration of the scenario (or ends the user).
  void begin_iteration();
  /// A timer fired or I/O completed (`io_wake_flag` set in `ticket`): resume
  /// the suspended coroutine or start the next iteration.
  void on_wake(std::uint32_t ticket);

  /// Marks a wake that comes from I/O; tokens never use this bit.
  static constexpr std::uint32_t io_wake_flag = std::uint32_t{1} << 31;
  /// An exit message arrived: stop gracefully or at once.
  void on_exit_request(const caf::error& reason);

  [[nodiscard]] std::uint32_t token() const noexcept { return token_; }
  /// A strong reference to this user's own actor (valid while the state lives).
  [[nodiscard]] const caf::strong_actor_ptr& handle() const noexcept { return self_; }

protected:
  void suspend_for(std::coroutine_handle<> h, duration span) override;
  const config::store& settings() const override { return run_->store; }
  const users::table* users_table() const override { return run_->rows.get(); }

public:
  metrics::registry& metrics() const override { return run_->metrics; }
  std::uint32_t park(std::coroutine_handle<> h, duration timeout) override;
  void wake(std::uint32_t ticket) noexcept override;
  io_pool& io() const override { return run_->io; }

private:
  void after_resume();
  void end_iteration();
  void enter(phase next);
  void schedule_wake(duration span);
  void next_token() noexcept;
  void resume_suspended(wake_cause cause);

  /// The user's own actor.
  [[nodiscard]] caf::event_based_actor* self() const noexcept {
    return static_cast<caf::event_based_actor*>(self_->get());
  }

  // A strong reference to the own actor: a user keeps itself alive until it
  // ends (nobody else has to hold it), and is then destroyed by its own
  // worker once CAF's cleanup is done. Declared first, released last.
  caf::strong_actor_ptr self_;
  // Declared before root_ so the coroutine frame dies first: its locals may
  // still refer to the scenario instance.
  std::shared_ptr<run_context> run_;
  task<> root_;
  std::coroutine_handle<> suspended_;
  std::uint32_t token_ = 0;
  phase phase_ = phase::idle;
};

using user_actor = caf::stateful_actor<user_state>;

/// The behaviour of a user actor: starts the first iteration at once.
caf::behavior user_behavior(user_actor* self, std::uint64_t id, std::shared_ptr<run_context> run);

}  // namespace amoc::detail

#include "user_actor.hpp"

#include <exception>
#include <string>

#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include "amoc/actors.hpp"
#include "amoc/error.hpp"
#include "amoc/log.hpp"
#include "amoc/crash_guard.hpp"
#include "shaping_node.hpp"

namespace amoc::detail {

namespace {

std::atomic<std::int64_t>* counter_of(run_context& run, user_state::phase p) {
  switch (p) {
  case user_state::phase::running: return &run.running;
  case user_state::phase::waiting: return &run.waiting;
  case user_state::phase::stopping: return &run.stopping;
  case user_state::phase::idle: return nullptr;
  }
  return nullptr;
}

std::string describe(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace

user_state::user_state(caf::event_based_actor* self) noexcept
    : user(0), self_(caf::actor_cast<caf::strong_actor_ptr>(self)) {}

user_state::~user_state() {
  if (!run_)
    return;
  run_->wheel->disarm(*this);
  root_.reset();
  enter(phase::idle);
}

void user_state::setup(std::uint64_t id, std::shared_ptr<run_context> run) {
  id_ = id;
  run_ = std::move(run);
  run_->gate.ran();
}

void user_state::enter(phase next) {
  if (auto* c = counter_of(*run_, phase_))
    c->fetch_sub(1, std::memory_order_relaxed);
  if (auto* c = counter_of(*run_, next))
    c->fetch_add(1, std::memory_order_relaxed);
  phase_ = next;
}

void user_state::begin_iteration() {
  if (stopping_) {
    self()->quit(make_error(exit::graceful_stop));
    return;
  }
  ++iteration_;
  enter(phase::running);
  try {
    shaping_node::scope in{run_->shaping.get()};
    crash::user_scope running{id_};
    root_ = run_->instance->start(*this);
    root_.resume();
  } catch (...) {
    // Only frame allocation can throw here; the coroutine body's exceptions
    // are kept in its promise and surface in end_iteration().
    root_.reset();
    self()->quit(make_error(exit::scenario_error, describe(std::current_exception())));
    return;
  }
  after_resume();
}

void user_state::after_resume() {
  if (root_.done())
    end_iteration();
}

void user_state::end_iteration() {
  try {
    root_.result();
  } catch (...) {
    auto what = describe(std::current_exception());
    log::line(log::level::error, "user ") << id_ << ": scenario error: " << what;
    root_.reset();
    self()->quit(make_error(exit::scenario_error, std::move(what)));
    return;
  }
  root_.reset();
  const auto repeat_num = run_->repeat_num();
  if (!repeat_num.infinite() && iteration_ >= repeat_num.value)
    self()->quit(make_error(exit::normal));
  else if (stopping_)
    self()->quit(make_error(exit::graceful_stop));
  else {
    enter(phase::waiting);
    schedule_wake(run_->repeat_interval());
  }
}

void user_state::suspend_for(std::coroutine_handle<> h, duration span) {
  suspended_ = h;
  schedule_wake(span);
}

void user_state::next_token() noexcept { token_ = (token_ + 1) & ~io_wake_flag; }

void user_state::schedule_wake(duration span) {
  // Every wake carries a fresh token: a timer that outlived what it was for
  // (its coroutine was destroyed or resumed otherwise) is recognised as stale.
  next_token();
  if (span <= duration::zero()) {
    self()->send(self(), atom::wake_v, token_);
    return;
  }
  const auto now = self()->clock().now();
  if (run_->wheel->arm(*this, now, now + span))
    run_->ticks->look_again();
}

std::uint32_t user_state::park(std::coroutine_handle<> h, duration timeout) {
  suspended_ = h;
  if (timeout == duration::max()) {
    next_token();
    run_->wheel->disarm(*this);
  } else {
    schedule_wake(timeout);
  }
  return token_;
}

void user_state::wake(std::uint32_t ticket) noexcept {
  // Called from I/O threads: the caller guarantees this state is alive (it
  // unregisters the ticket before the coroutine frame holding it dies).
  caf::anon_send(caf::actor_cast<caf::actor>(self_), atom::wake_v, ticket | io_wake_flag);
}

void user_state::resume_suspended(wake_cause cause) {
  last_wake_ = cause;
  auto h = std::exchange(suspended_, {});
  {
    shaping_node::scope in{run_->shaping.get()};
    crash::user_scope running{id_};
    h.resume();
  }
  after_resume();
}

void user_state::on_wake(std::uint32_t ticket) {
  if ((ticket & ~io_wake_flag) != token_)
    return;
  if (ticket & io_wake_flag) {
    if (!suspended_)
      return;
    // The I/O came first: the timeout must not fire later as a stale tick.
    run_->wheel->disarm(*this);
    resume_suspended(wake_cause::io);
  } else if (suspended_) {
    resume_suspended(wake_cause::timeout);
  } else if (phase_ == phase::waiting) {
    begin_iteration();
  }
}

void user_state::on_exit_request(const caf::error& reason) {
  const bool graceful =
    reason.category() == exit_category && static_cast<exit>(reason.code()) == exit::graceful_stop;
  if (!graceful) {
    self()->quit(reason);
    return;
  }
  stopping_ = true;
  if (phase_ == phase::running)
    enter(phase::stopping);
  else if (phase_ != phase::stopping)
    self()->quit(reason);
}

caf::behavior user_behavior(user_actor* self, std::uint64_t id, std::shared_ptr<run_context> run) {
  self->state.setup(id, std::move(run));
  self->set_exit_handler([](caf::scheduled_actor* ptr, caf::exit_msg& msg) {
    static_cast<user_actor*>(ptr)->state.on_exit_request(msg.reason);
  });
  self->state.begin_iteration();
  return {
    // One handler only: CAF allocates a user's behaviour with the actor, and
    // each handler costs every user ~48 bytes.
    [self](atom::wake, std::uint32_t ticket) { self->state.on_wake(ticket); },
  };
}

}  // namespace amoc::detail

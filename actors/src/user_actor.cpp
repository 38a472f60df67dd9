#include "user_actor.hpp"

#include <exception>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/make_actor.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>
#include <caf/sec.hpp>
#include <caf/system_messages.hpp>

#include "amoc/crash_guard.hpp"
#include "amoc/error.hpp"
#include "amoc/log.hpp"
#include "shaping_node.hpp"

namespace amoc::detail {

namespace {

std::atomic<std::int64_t>* counter_of(run_context& run, user_actor::phase p) {
  switch (p) {
  case user_actor::phase::running: return &run.running;
  case user_actor::phase::waiting: return &run.waiting;
  case user_actor::phase::stopping: return &run.stopping;
  case user_actor::phase::idle: return nullptr;
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

bool is_graceful(const caf::error& reason) { return exit_reason_of(reason) == exit::graceful_stop; }

constexpr std::uint32_t token_mask = ~user_actor::io_wake_flag;
// A wake slot's "holds a ticket" bit, above the 32 bits of the ticket.
constexpr std::uint64_t slot_full = std::uint64_t{1} << 32;

// Whether `ticket` was issued no earlier than `than` (tokens wrap at 2^31).
bool not_older(std::uint32_t ticket, std::uint32_t than) noexcept {
  return ((ticket - than) & token_mask) < (token_mask / 2);
}

// Keeps the newer of the ticket in `slot` and `ticket`.
void store_newest(std::atomic<std::uint64_t>& slot, std::uint32_t ticket) noexcept {
  const auto wanted = slot_full | ticket;
  auto seen = slot.load();
  while ((seen == 0 || not_older(ticket, static_cast<std::uint32_t>(seen)))
         && !slot.compare_exchange_weak(seen, wanted)) {
  }
}

}  // namespace

user_actor::user_actor(caf::actor_config& cfg, std::uint64_t id, std::shared_ptr<run_context> run)
    : monitorable_actor(cfg), user(id), run_(std::move(run)) {}

void user_actor::launch() {
  register_at_system();
  keep_alive_ = ctrl();
  schedule();
}

void user_actor::enqueue(caf::mailbox_element_ptr what, caf::execution_unit* host) {
  if (!what)
    return;
  auto& content = what->content();
  if (content.match_elements<caf::exit_msg>()) {
    request_exit(std::move(content.get_mutable_as<caf::exit_msg>(0).reason));
    return;
  }
  // A user answers nothing: a request gets an error, not silence.
  if (what->mid.is_request() && what->sender)
    what->sender->enqueue(nullptr, what->mid.response_id(),
                          caf::make_message(make_error(caf::sec::unexpected_message)), host);
}

void user_actor::request_exit(caf::error reason) {
  exclusive_critical_section([&] {
    // A forced stop overrides a graceful one still waiting to be seen.
    if (!exit_request_ || !is_graceful(reason))
      exit_request_ = std::move(reason);
  });
  exit_requested_.store(true);
  schedule();
}

void user_actor::post(std::uint32_t ticket) noexcept {
  store_newest(ticket & io_wake_flag ? io_slot_ : timer_slot_, ticket);
  schedule();
}

void user_actor::schedule() noexcept {
  if (scheduled_.exchange(true))
    return;
  intrusive_ptr_add_ref(ctrl());  // the job's reference, released by the worker
  home_system().scheduler().enqueue(this);
}

bool user_actor::has_pending() const noexcept {
  return exit_requested_.load() || io_slot_.load() != 0 || timer_slot_.load() != 0;
}

caf::resumable::resume_result user_actor::resume(caf::execution_unit* unit,
                                                 std::size_t max_throughput) {
  if (!started_) {
    started_ = true;
    run_->gate.ran();
    begin_iteration();
  }
  for (std::size_t i = 0; !quitting_; ++i) {
    if (i == max_throughput)
      return resume_later;
    if (handle_pending())
      continue;
    // Idle: whoever posts from now on schedules the user again. Checked once
    // more after the flag is down, as a post that saw it up relies on us.
    scheduled_.store(false);
    if (!has_pending() || scheduled_.exchange(true))
      return awaiting_message;
  }
  finish(unit);
  return done;
}

bool user_actor::handle_pending() {
  if (exit_requested_.exchange(false)) {
    caf::error reason;
    exclusive_critical_section([&] { reason = std::move(exit_request_); });
    if (reason)  // a `normal` exit (no error) ends nobody, as in CAF
      on_exit_request(reason);
    return true;
  }
  // I/O before a timer: when both came for the same wait, its answer is there.
  for (auto* slot : {&io_slot_, &timer_slot_})
    if (const auto taken = slot->exchange(0)) {
      on_wake(static_cast<std::uint32_t>(taken));
      return true;
    }
  return false;
}

void user_actor::finish(caf::execution_unit* unit) {
  // As CAF's actors do: the state goes first (sockets close, counters drop),
  // then the supervisor (through the run's end log) and the monitors learn
  // the reason.
  run_->wheel->disarm(*this);
  suspended_ = {};
  root_.reset();
  enter(phase::idle);
  const auto ends = run_->ends;
  run_.reset();
  unregister_from_system();
  ends->append(caf::abstract_actor::id(), exit_reason_of(quit_reason_));
  cleanup(std::move(quit_reason_), unit);
  keep_alive_.reset();  // the worker's reference keeps it until `resume` returns
}

void user_actor::quit(caf::error reason) {
  if (!std::exchange(quitting_, true))
    quit_reason_ = std::move(reason);
}

void user_actor::enter(phase next) {
  if (auto* c = counter_of(*run_, phase_))
    c->fetch_sub(1, std::memory_order_relaxed);
  if (auto* c = counter_of(*run_, next))
    c->fetch_add(1, std::memory_order_relaxed);
  phase_ = next;
}

void user_actor::begin_iteration() {
  if (stopping_) {
    quit(make_error(exit::graceful_stop));
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
    quit(make_error(exit::scenario_error, describe(std::current_exception())));
    return;
  }
  after_resume();
}

void user_actor::after_resume() {
  if (root_.done())
    end_iteration();
}

void user_actor::end_iteration() {
  try {
    root_.result();
  } catch (...) {
    auto what = describe(std::current_exception());
    log::line(log::level::error, "user ") << id_ << ": scenario error: " << what;
    root_.reset();
    quit(make_error(exit::scenario_error, std::move(what)));
    return;
  }
  root_.reset();
  const auto repeat_num = run_->repeat_num();
  if (!repeat_num.infinite() && iteration_ >= repeat_num.value)
    quit(make_error(exit::normal));
  else if (stopping_)
    quit(make_error(exit::graceful_stop));
  else {
    enter(phase::waiting);
    schedule_wake(run_->repeat_interval());
  }
}

void user_actor::suspend_for(std::coroutine_handle<> h, duration span) {
  suspended_ = h;
  schedule_wake(span);
}

void user_actor::next_token() noexcept { token_ = (token_ + 1) & token_mask; }

void user_actor::schedule_wake(duration span) {
  // Every wake carries a fresh token: a timer that outlived what it was for
  // (its coroutine was destroyed or resumed otherwise) is recognised as stale.
  next_token();
  if (span <= duration::zero()) {
    post(token_);
    return;
  }
  // The actor system's clock: simulated time in tests.
  const auto now = home_system().clock().now();
  if (run_->wheel->arm(*this, now, now + span))
    run_->ticks->look_again();
}

std::uint32_t user_actor::park(std::coroutine_handle<> h, duration timeout) {
  suspended_ = h;
  if (timeout == duration::max()) {
    next_token();
    run_->wheel->disarm(*this);
  } else {
    schedule_wake(timeout);
  }
  return token_;
}

void user_actor::resume_suspended(wake_cause cause) {
  last_wake_ = cause;
  auto h = std::exchange(suspended_, {});
  {
    shaping_node::scope in{run_->shaping.get()};
    crash::user_scope running{id_};
    h.resume();
  }
  after_resume();
}

void user_actor::on_wake(std::uint32_t ticket) {
  if ((ticket & token_mask) != token_)
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

void user_actor::on_exit_request(const caf::error& reason) {
  if (!is_graceful(reason)) {
    quit(reason);
    return;
  }
  stopping_ = true;
  if (phase_ == phase::running)
    enter(phase::stopping);
  else if (phase_ != phase::stopping)
    quit(reason);
}

caf::actor spawn_user(caf::actor_system& sys, std::uint64_t id, std::shared_ptr<run_context> run) {
  caf::actor_config cfg;
  auto handle = caf::make_actor<user_actor, caf::actor>(sys.next_actor_id(), sys.node(), &sys, cfg,
                                                        id, std::move(run));
  static_cast<user_actor*>(caf::actor_cast<caf::abstract_actor*>(handle))->launch();
  return handle;
}

}  // namespace amoc::detail

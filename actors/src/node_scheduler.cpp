#include "node_scheduler.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/detail/set_thread_name.hpp>
#include <caf/detail/thread_safe_actor_clock.hpp>
#include <caf/execution_unit.hpp>
#include <caf/resumable.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>

#include "amoc/loop_turn.hpp"

namespace amoc::detail {

namespace {

namespace asio = boost::asio;

// A worker keeps the jobs it schedules itself (a user woken by the socket
// this thread just read) until it has this many queued; then new jobs go to
// the least busy worker, so bulk work (spawning or stopping a million users)
// still spreads over every core.
constexpr std::size_t spill_backlog = 8;

class io_coordinator;
class io_worker;

thread_local io_worker* this_worker = nullptr;

/// One worker thread: an event loop that runs actor jobs as handlers, next
/// to the socket handlers of the connections that live on it.
class io_worker final : public caf::execution_unit {
public:
  io_worker(io_coordinator& parent, caf::actor_system& sys)
      : caf::execution_unit(&sys), parent_(parent) {}

  /// An actor running here scheduled `job` (it sent to an idle actor).
  void exec_later(caf::resumable* job) override;

  /// Queues `job` on this worker; from any thread. Jobs wait in a queue and
  /// one handler runs them all: a burst of wakes (a tick, a read that brought
  /// many stanzas, a spawn batch) costs one Asio operation.
  void post(caf::resumable* job) {
    bool start_drain;
    {
      std::lock_guard guard{mutex_};
      jobs_.push_back(job);
      start_drain = !draining_;
      draining_ = true;
    }
    backlog_.fetch_add(1, std::memory_order_relaxed);
    if (!start_drain)
      return;
    // A handler of this loop woke it: run it when the handler returns, not
    // behind the reactor's next turn (one epoll_wait less per such event).
    if (this_worker == this && loop_turn::active())
      held_ = true;
    else
      asio::post(context_, [this] { drain(); });
  }

  /// Runs the jobs a loop_turn on this worker held back (its thread only).
  void run_held() {
    if (std::exchange(held_, false))
      drain();
  }

  /// The jobs waiting here, if the job it runs now is the one it ran when
  /// the balancer last looked (10 ms ago while jobs run): scenario code
  /// that never yields, or blocks. Other workers run them instead.
  std::vector<caf::resumable*> take_if_stuck() {
    const auto started = started_jobs_.load(std::memory_order_relaxed);
    const bool held = in_job_.load(std::memory_order_relaxed) && started == seen_jobs_;
    seen_jobs_ = started;
    std::vector<caf::resumable*> taken;
    if (!held)
      return taken;
    std::lock_guard guard{mutex_};
    // The rest of the batch it is running: it finds the index past the end.
    const auto from = next_.exchange(batch_done, std::memory_order_relaxed);
    if (from < running_.size())
      taken.assign(running_.begin() + static_cast<std::ptrdiff_t>(from), running_.end());
    taken.insert(taken.end(), jobs_.begin(), jobs_.end());
    jobs_.clear();
    backlog_.fetch_sub(taken.size(), std::memory_order_relaxed);
    return taken;
  }

  void start();
  /// Keeps `alarm` from now on (its thread only).
  void keep_alarm(std::shared_ptr<loop_alarm> alarm) { alarm_ = std::move(alarm); }
  /// Stops keeping `alarm` if it is the one kept (its thread only).
  void drop_alarm(const loop_alarm* alarm) {
    if (alarm_.get() == alarm)
      alarm_.reset();
  }
  void stop() {
    guard_.reset();
    context_.stop();
  }
  void join() { thread_.join(); }
  /// Hands jobs that never ran to CAF's cleanup (after the loop stopped).
  ~io_worker() override {
    for (auto* job : jobs_)
      caf::scheduler::abstract_coordinator::cleanup_and_release(job);
  }

  /// Whether it runs a job at this moment.
  [[nodiscard]] bool in_job() const noexcept { return in_job_.load(std::memory_order_relaxed); }
  [[nodiscard]] std::size_t backlog() const noexcept {
    return backlog_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] io_coordinator& parent() const noexcept { return parent_; }
  [[nodiscard]] asio::io_context& context() noexcept { return context_; }

private:
  void run_loop();
  void drain();
  void run(caf::resumable* job);

  io_coordinator& parent_;
  std::mutex mutex_;
  static constexpr std::size_t batch_done = std::numeric_limits<std::size_t>::max() / 2;
  std::vector<caf::resumable*> jobs_;  // queued, guarded by mutex_
  bool draining_ = false;              // a drain handler is posted or running (mutex_)
  // The batch being run: swapped in and cleared under mutex_, read by the
  // loop thread; `next_` hands out its indexes (take_if_stuck takes the rest).
  std::vector<caf::resumable*> running_;
  std::atomic<std::size_t> next_{0};
  // For take_if_stuck: jobs begun, and whether one is running now.
  std::atomic<std::uint64_t> started_jobs_{0};
  std::atomic<bool> in_job_{false};
  std::uint64_t seen_jobs_ = 0;  // the balancer's last look (its thread only)
  asio::io_context context_{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard_{context_.get_executor()};
  std::thread thread_;
  std::atomic<std::size_t> backlog_{0};
  bool held_ = false;  // a drain waits for the loop_turn to end (this thread only)
  std::shared_ptr<loop_alarm> alarm_;  // this thread only
};

class io_coordinator final : public caf::scheduler::abstract_coordinator {
public:
  explicit io_coordinator(caf::actor_system& sys) : abstract_coordinator(sys) {}

  void enqueue(caf::resumable* job) override { dispatch(job, local_worker()); }
  caf::detail::thread_safe_actor_clock& clock() noexcept override { return clock_; }

  /// Queues `job`: on `here` unless it is busy, else on the least busy worker.
  void dispatch(caf::resumable* job, io_worker* here) {
    if (here && here->backlog() < spill_backlog)
      here->post(job);
    else
      least_busy()->post(job);
  }

  [[nodiscard]] std::vector<asio::io_context*> contexts() {
    std::vector<asio::io_context*> result;
    for (auto& w : workers_)
      result.push_back(&w->context());
    return result;
  }

protected:
  void start() override {
    for (std::size_t i = 0; i < num_workers(); ++i)
      workers_.push_back(std::make_unique<io_worker>(*this, system()));
    for (auto& w : workers_)
      w->start();
    dispatcher_ = std::thread{[this] {
      caf::detail::set_thread_name("amoc.clock");
      clock_.run_dispatch_loop();
    }};
    balancer_ = std::thread{[this] {
      caf::detail::set_thread_name("amoc.balance");
      balance();
    }};
    abstract_coordinator::start();
  }

  void stop() override {
    {
      std::lock_guard guard{balance_mutex_};
      stopping_ = true;
    }
    balance_wake_.notify_all();
    balancer_.join();
    // Every actor has ended by now (the actor system waited for them).
    stop_actors();
    for (auto& w : workers_)
      w->stop();
    for (auto& w : workers_)
      w->join();
    workers_.clear();
    clock_.cancel_dispatch_loop();
    dispatcher_.join();
  }

private:
  /// This thread's worker, if it is one of ours (a process may hold several systems).
  [[nodiscard]] io_worker* local_worker() const noexcept {
    return this_worker && &this_worker->parent() == this ? this_worker : nullptr;
  }

  // Every 10 ms while jobs run: the jobs queued behind one that has held its
  // worker since the last look move to the other workers. A scenario that
  // never yields (or blocks) then costs its own thread, not the users,
  // controller and supervisor that happened to be queued behind it.
  //
  // A look that finds no worker in a job doubles the wait before the next,
  // up to 100 ms: a node with little to do is not woken 100 times a second
  // for nothing. A job found running brings the 10 ms back, so one that
  // holds its worker is found within about 110 ms even after a quiet spell.
  void balance() {
    constexpr std::chrono::milliseconds busy_look{10};
    constexpr std::chrono::milliseconds quiet_look{100};
    auto next_look = busy_look;
    std::unique_lock lock{balance_mutex_};
    while (!balance_wake_.wait_for(lock, next_look, [this] { return stopping_; })) {
      bool busy = false;
      for (auto& w : workers_) {
        busy = busy || w->in_job();
        for (auto* job : w->take_if_stuck())
          least_busy_except(w.get())->post(job);
      }
      next_look = busy ? busy_look : std::min(next_look * 2, quiet_look);
      std::erase_if(watchers_, [](const auto& w) { return w.expired(); });
      for (const auto& w : watchers_)
        if (auto check = w.lock())
          (*check)();
    }
  }

public:
  std::shared_ptr<void> watch(std::function<void()> check) {
    auto handle = std::make_shared<std::function<void()>>(std::move(check));
    std::lock_guard guard{balance_mutex_};
    watchers_.push_back(handle);
    return handle;
  }

private:
  [[nodiscard]] io_worker* least_busy_except(const io_worker* stuck) {
    io_worker* best = nullptr;
    for (auto& w : workers_)
      if (w.get() != stuck && (!best || w->backlog() < best->backlog()))
        best = w.get();
    return best ? best : workers_.front().get();
  }

  [[nodiscard]] io_worker* least_busy() {
    // Start at a rotating position so that ties spread out.
    const auto n = workers_.size();
    const auto first = next_worker_.fetch_add(1, std::memory_order_relaxed);
    io_worker* best = nullptr;
    for (std::size_t i = 0; i < n; ++i) {
      auto* w = workers_[(first + i) % n].get();
      if (!best || w->backlog() < best->backlog())
        best = w;
    }
    return best;
  }

  caf::detail::thread_safe_actor_clock clock_;
  std::thread dispatcher_;
  std::vector<std::unique_ptr<io_worker>> workers_;
  std::thread balancer_;
  std::mutex balance_mutex_;
  std::condition_variable balance_wake_;
  bool stopping_ = false;                                       // guarded by balance_mutex_
  std::vector<std::weak_ptr<std::function<void()>>> watchers_;  // guarded by balance_mutex_
};

void io_worker::exec_later(caf::resumable* job) { parent_.dispatch(job, this); }

void io_worker::start() {
  thread_ = std::thread{[this] {
    caf::detail::set_thread_name("amoc.worker");
    system().thread_started();
    this_worker = this;
    loop_turn::on_this_thread([] { this_worker->run_held(); });
    run_loop();
    loop_turn::on_this_thread(nullptr);
    this_worker = nullptr;
    system().thread_terminates();
  }};
}

// Asio's run(), with the alarm's time as the longest the reactor may sleep.
void io_worker::run_loop() {
  using clock = std::chrono::steady_clock;
  while (!context_.stopped()) {
    const auto due = alarm_ ? alarm_->due() : std::nullopt;
    if (!due) {
      context_.run_one();
      continue;
    }
    if (clock::now() < *due && context_.run_one_until(*due) > 0)
      continue;  // a handler ran: the alarm may have moved
    if (context_.stopped())
      break;
    loop_turn turn;  // the users it wakes run when it returns
    alarm_->ring(clock::now());
  }
}

void io_worker::drain() {
  {
    std::lock_guard guard{mutex_};
    running_.swap(jobs_);
    next_.store(0, std::memory_order_relaxed);
  }
  // Jobs scheduled meanwhile queue up for the next turn, behind socket events.
  for (;;) {
    const auto i = next_.fetch_add(1, std::memory_order_relaxed);
    if (i >= running_.size())
      break;  // done, or the balancer took the rest
    run(running_[i]);
  }
  std::lock_guard guard{mutex_};
  running_.clear();
  if (jobs_.empty())
    draining_ = false;
  else
    asio::post(context_, [this] { drain(); });
}

void io_worker::run(caf::resumable* job) {
  backlog_.fetch_sub(1, std::memory_order_relaxed);
  started_jobs_.store(started_jobs_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  in_job_.store(true, std::memory_order_relaxed);
  const auto outcome = job->resume(this, parent_.max_throughput());
  in_job_.store(false, std::memory_order_relaxed);
  switch (outcome) {
  case caf::resumable::resume_later:
    // Its throughput budget ran out: behind what is queued here.
    post(job);
    break;
  case caf::resumable::done:
  case caf::resumable::awaiting_message:
  case caf::resumable::shutdown_execution_unit: intrusive_ptr_release(job); break;
  }
}

}  // namespace

void install_node_scheduler(caf::actor_system_config& cfg) {
  cfg.module_factories.push_back(
    [](caf::actor_system& sys) -> caf::actor_system::module* { return new io_coordinator(sys); });
}

void set_loop_alarm(boost::asio::io_context& loop, std::shared_ptr<loop_alarm> alarm) {
  asio::post(loop, [alarm = std::move(alarm)]() mutable {
    if (this_worker)
      this_worker->keep_alarm(std::move(alarm));
  });
}

// The handler holds `alarm`: no other alarm can take its address meanwhile.
void clear_loop_alarm(boost::asio::io_context& loop, std::shared_ptr<loop_alarm> alarm) {
  asio::post(loop, [alarm = std::move(alarm)] {
    if (this_worker)
      this_worker->drop_alarm(alarm.get());
  });
}

void wake_loop(boost::asio::io_context& loop) {
  asio::post(loop, [] {});
}

std::shared_ptr<void> watch_from_balancer(caf::actor_system& sys, std::function<void()> check) {
  if (auto* coordinator = dynamic_cast<io_coordinator*>(&sys.scheduler()))
    return coordinator->watch(std::move(check));
  return nullptr;
}

std::vector<boost::asio::io_context*> worker_io_contexts(caf::actor_system& sys) {
  if (auto* coordinator = dynamic_cast<io_coordinator*>(&sys.scheduler()))
    return coordinator->contexts();
  return {};
}

}  // namespace amoc::detail

#include "node_scheduler.hpp"

#include <atomic>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>
#include <typeinfo>
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

#include "user_actor.hpp"

namespace amoc::detail {

namespace {

namespace asio = boost::asio;

// A worker keeps the jobs it schedules itself (a user woken by the socket
// this thread just read) until it has this many queued; then new jobs go to
// the least busy worker, so bulk work (spawning or stopping a million users)
// still spreads over every core.
constexpr std::size_t spill_backlog = 8;

class node_clock : public caf::detail::thread_safe_actor_clock {
public:
  void cancel_timeouts(caf::abstract_actor* self) override {
    // An exact type check: for a user it compares two type_info names by
    // address, where a dynamic_cast walks CAF's class hierarchy.
    if (typeid(*self) != typeid(user_actor))
      thread_safe_actor_clock::cancel_timeouts(self);
  }
};

class io_coordinator;

/// One worker thread: an event loop that runs actor jobs as handlers, next
/// to the socket handlers of the connections that live on it.
class io_worker final : public caf::execution_unit {
public:
  io_worker(io_coordinator& parent, caf::actor_system& sys)
      : caf::execution_unit(&sys), parent_(parent) {}

  /// An actor running here scheduled `job` (it sent to an idle actor).
  void exec_later(caf::resumable* job) override;

  /// Queues `job` on this worker; from any thread. Jobs wait in a plain
  /// vector and one handler runs them all: a burst of wakes (a tick, a read
  /// that brought many stanzas, a spawn batch) costs one Asio operation.
  void post(caf::resumable* job) {
    bool first;
    {
      std::lock_guard guard{mutex_};
      first = jobs_.empty();
      jobs_.push_back(job);
    }
    backlog_.fetch_add(1, std::memory_order_relaxed);
    if (first)
      asio::post(context_, [this] { drain(); });
  }

  void start();
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

  [[nodiscard]] std::size_t backlog() const noexcept {
    return backlog_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] io_coordinator& parent() const noexcept { return parent_; }
  [[nodiscard]] asio::io_context& context() noexcept { return context_; }

private:
  void drain();
  void run(caf::resumable* job);

  io_coordinator& parent_;
  std::mutex mutex_;
  std::vector<caf::resumable*> jobs_;     // queued, guarded by mutex_
  std::vector<caf::resumable*> running_;  // the batch being run (loop thread only)
  asio::io_context context_{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard_{context_.get_executor()};
  std::thread thread_;
  std::atomic<std::size_t> backlog_{0};
};

thread_local io_worker* this_worker = nullptr;

class io_coordinator final : public caf::scheduler::abstract_coordinator {
public:
  explicit io_coordinator(caf::actor_system& sys) : abstract_coordinator(sys) {}

  void enqueue(caf::resumable* job) override { dispatch(job, local_worker()); }
  node_clock& clock() noexcept override { return clock_; }

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
    abstract_coordinator::start();
  }

  void stop() override {
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

  node_clock clock_;
  std::thread dispatcher_;
  std::vector<std::unique_ptr<io_worker>> workers_;
};

void io_worker::exec_later(caf::resumable* job) { parent_.dispatch(job, this); }

void io_worker::start() {
  thread_ = std::thread{[this] {
    caf::detail::set_thread_name("amoc.worker");
    system().thread_started();
    this_worker = this;
    context_.run();
    this_worker = nullptr;
    system().thread_terminates();
  }};
}

void io_worker::drain() {
  {
    std::lock_guard guard{mutex_};
    running_.swap(jobs_);
  }
  // Jobs scheduled meanwhile queue up for the next turn, behind socket events.
  for (auto* job : running_)
    run(job);
  running_.clear();
}

void io_worker::run(caf::resumable* job) {
  backlog_.fetch_sub(1, std::memory_order_relaxed);
  switch (job->resume(this, parent_.max_throughput())) {
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

std::vector<boost::asio::io_context*> worker_io_contexts(caf::actor_system& sys) {
  if (auto* coordinator = dynamic_cast<io_coordinator*>(&sys.scheduler()))
    return coordinator->contexts();
  return {};
}

}  // namespace amoc::detail

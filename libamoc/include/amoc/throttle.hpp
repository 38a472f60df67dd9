#pragma once

/// `amoc::throttle`: named limits on how often users act, shared by every user
/// of a run and, in a distributed run, by every node (as `amoc_throttle` in
/// the Erlang original).
///
///   void init() override {
///     amoc::throttle::start("messages", amoc::throttle::limit::rate(100, 1min));
///   }
///   amoc::task<> start(amoc::user& u) override {
///     co_await amoc::throttle::wait(u, "messages");   // at most 100 a minute, all users
///     send_message(u);
///   }
///
/// Actions are evenly spaced: a rate of 100 a minute lets one action through
/// every 600 ms, never a burst of 100. In a distributed run the master owns
/// each throttle's definition and every node lets its share through (rate /
/// nodes), so the cluster's rate is the one given; shares are recomputed when
/// nodes come or go. Call the functions from scenario code (`init`, `start`,
/// `terminate`); they throw `std::logic_error` elsewhere, and
/// `std::invalid_argument` for an unknown name or a bad limit.

#include <coroutine>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "amoc/config.hpp"
#include "amoc/parked_waiter.hpp"
#include "amoc/task.hpp"
#include "amoc/user.hpp"

namespace amoc::throttle {

/// What a throttle lets through.
struct limit {
  enum class kind : std::uint8_t { rate, parallel, unlimited };

  /// `n` actions per `interval`, evenly spaced (n = 0 lets nothing through).
  [[nodiscard]] static limit rate(double n, duration interval = std::chrono::minutes{1});
  /// One action every `gap` (the original's `interarrival`).
  [[nodiscard]] static limit interarrival(duration gap);
  /// At most `n` actions running at once (counted by `run`), at any rate.
  [[nodiscard]] static limit parallel(std::uint64_t n);
  /// Everything passes at once.
  [[nodiscard]] static limit unlimited();

  kind type = kind::unlimited;
  /// Actions per `interval` (rate), or how many may run at once (parallel).
  double n = 0;
  duration interval{};

  /// Empty when the limit is usable, else what is wrong with it.
  [[nodiscard]] std::string problem() const;
  /// "100 per 1m", "at most 5 in parallel", "unlimited".
  [[nodiscard]] std::string describe() const;
  friend bool operator==(const limit&, const limit&) = default;
};

/// How `change_rate_gradually` gets from one rate to the other.
struct gradual {
  /// `steps` equal changes, one every `each` (the first `each` after the call).
  [[nodiscard]] static gradual steps(std::uint64_t steps, duration each);
  /// Linear over `span`: a change every `span / 100`, at most every 100 ms.
  [[nodiscard]] static gradual over(duration span);

  std::uint64_t count = 1;
  duration each{};
};

/// Defines throttle `name` (usually in `init()`). Starting it again with the
/// same limit is a no-op; with another limit it throws (use `change_rate`).
void start(std::string_view name, limit how);

/// Changes the limit at once; waiting users are let through at the new pace.
void change_rate(std::string_view name, limit how);
/// Moves from `from` to `to` (both rates over the same interval) in steps.
void change_rate_gradually(std::string_view name, limit from, limit to, gradual plan);
/// Holds every user at `wait` until `resume`.
void pause(std::string_view name);
/// Ends a pause.
void resume(std::string_view name);
/// Lets everything through until the next `change_rate` (or `stop`).
void unlock(std::string_view name);
/// Removes the throttle; users waiting at it are let through.
void stop(std::string_view name);

namespace detail {
/// What queues at a throttle: told when its action may go.
class request {
public:
  /// Called by the throttle, under its lock: the action may go.
  virtual void grant() noexcept = 0;
  /// The action runs after the wait (`run`) and holds a parallel place until it ends.
  [[nodiscard]] bool keeps_place() const noexcept { return keeps_place_; }

protected:
  explicit request(bool keeps_place) noexcept : keeps_place_(keeps_place) {}
  ~request() = default;

private:
  bool keeps_place_;
};

/// A user waiting at a throttle (the awaiter of `wait`); for the runtime.
class waiter final : public request {
public:
  /// `keeps_place`: the action runs after the wait (`run`) and holds a
  /// parallel place until `finished`.
  waiter(user& u, std::string_view name, bool keeps_place = false)
      : request(keeps_place), user_(u), name_(name) {}
  waiter(const waiter&) = delete;
  waiter& operator=(const waiter&) = delete;
  /// Leaves the queue if the user is stopped while waiting.
  ~waiter();

  bool await_ready() const noexcept { return false; }
  /// Takes a place at once (no suspension) or queues and parks the user.
  bool await_suspend(std::coroutine_handle<> h);
  void await_resume() const noexcept {}

  void grant() noexcept override;

private:
  user& user_;
  std::string name_;
  void* node_ = nullptr;
  parked_waiter parked_;  // a grant wakes the user parked here
  bool granted_ = false;
};
/// Ends one action started by `run` (frees its place in a parallel limit).
void finished(std::string_view name);
}  // namespace detail

/// Awaitable: suspends the user until throttle `name` lets one action through.
///   co_await amoc::throttle::wait(u, "messages");
[[nodiscard]] inline detail::waiter wait(user& u, std::string_view name) { return {u, name}; }

/// Waits like `wait`, then runs `action`; with a parallel limit, the action
/// counts as running until it returns (or throws).
[[nodiscard]] task<> run(user& u, std::string name, std::function<task<>()> action);

}  // namespace amoc::throttle

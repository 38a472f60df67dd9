#pragma once

/// `amoc::coordinator`: groups the users of a node as they arrive and acts on
/// each group (as `amoc_coordinator` in the Erlang original).
///
///   void init() override {
///     using namespace amoc::coordinator;
///     start("pairs", {item::of(2, on_pair([](event, member& a, member* b) { ... }))}, 30s);
///   }
///   amoc::task<> start(amoc::user& u) override {
///     auto slot = std::make_shared<my_slot>();
///     auto ev = co_await amoc::coordinator::add(u, "pairs", slot);  // resumes once paired
///   }
///
/// A plan is a list of items; each item collects the users that call `add`
/// into groups of its own size and, when a group is complete, runs its
/// actions with the event `coordinate`: on the group's size, on the group, or
/// on each distinct pair of it ({a,b}, {a,c}, {b,c}; a lone user is paired with
/// nobody). Items of size `all` act on every user added since they last acted.
/// `timeout` after the last `add` (and on `reset` or `stop`) the unfinished
/// groups act with what they have (event `timeout`, `reset` or `stop`), then
/// the `all` items. A user's `add` resumes once every sized item acted on it
/// (or, with only `all` items, when those did), returning that event, so
/// actions can leave data for it (say, a peer to talk to) in `member::data`.
/// Actions run on the thread of the user completing the group, or of the
/// node's timer: keep them short and touch shared data only through `data`.
/// Coordinators are per node: users of other nodes are not grouped together.

#include <any>
#include <coroutine>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "amoc/config.hpp"
#include "amoc/parked_waiter.hpp"
#include "amoc/user.hpp"

namespace amoc::coordinator {

/// Why a coordinator's actions run: enough users came, the timeout passed, or
/// `reset`/`stop` was called.
enum class event_type : std::uint8_t { coordinate, timeout, reset, stop };

/// What happened, and to how many users.
struct event {
  event_type type = event_type::coordinate;
  std::size_t users = 0;
};

/// "coordinate", "timeout", "reset", "stop".
[[nodiscard]] const char* to_string(event_type t) noexcept;

/// A user that called `add`: its id and the data it passed.
struct member {
  std::uint64_t id = 0;
  std::any data;
};

/// One action of a plan item.
struct action {
  std::function<void(event)> on_count;
  std::function<void(event, std::vector<member>&)> on_group_fn;
  std::function<void(event, member&, member*)> on_pair_fn;
};
/// Acts on the number of users only.
[[nodiscard]] action on_event(std::function<void(event)> f);
/// Acts on the whole group.
[[nodiscard]] action on_group(std::function<void(event, std::vector<member>&)> f);
/// Acts on each distinct pair of the group; the second is nullptr for a lone user.
[[nodiscard]] action on_pair(std::function<void(event, member&, member*)> f);

/// One item of a plan: a group size and what to do with each group.
struct item {
  /// Groups of exactly `n` users (n >= 1).
  [[nodiscard]] static item of(std::size_t n, std::vector<action> actions);
  [[nodiscard]] static item of(std::size_t n, action a) { return of(n, std::vector{std::move(a)}); }
  /// Groups of `min` to `max` users: each group's size is drawn when it starts.
  [[nodiscard]] static item range(std::size_t min, std::size_t max, std::vector<action> actions);
  [[nodiscard]] static item range(std::size_t min, std::size_t max, action a) {
    return range(min, max, std::vector{std::move(a)});
  }
  /// Every user added since the item last acted; acts on timeout, reset and stop.
  [[nodiscard]] static item all(std::vector<action> actions);
  [[nodiscard]] static item all(action a) { return all(std::vector{std::move(a)}); }

  std::size_t min = 0;  ///< 0: `all`
  std::size_t max = 0;
  std::vector<action> actions;
};

/// A coordinator's items, each with its own user count and actions.
using plan = std::vector<item>;

/// Starts coordinator `name` on this node (usually in `init()`); throws
/// std::invalid_argument for an empty or bad plan or a name in use.
void start(std::string_view name, plan p, duration timeout = std::chrono::seconds{30});
/// Acts now as on a timeout, with event `reset`; the coordinator goes on.
void reset(std::string_view name);
/// Acts as on a timeout with event `stop`, then removes the coordinator.
void stop(std::string_view name);

namespace detail {
class joiner;
/// A user added to a coordinator: shared by the items' groups and its joiner.
struct slot {
  member who;
  joiner* waiting = nullptr;  // null once the user stopped waiting
  std::size_t remaining = 0;  // items that still have to act on it
};
/// The awaiter of `add`; for the runtime.
class joiner {
public:
  joiner(user& u, std::string_view name, std::any data);
  joiner(const joiner&) = delete;
  joiner& operator=(const joiner&) = delete;
  /// Leaves the coordinator if the user is stopped while waiting.
  ~joiner();

  bool await_ready() const noexcept { return false; }
  bool await_suspend(std::coroutine_handle<> h);
  event await_resume() const noexcept;

  /// Called by the coordinator, under its lock: the user's groups acted.
  void grant(event ev) noexcept;

private:
  user& user_;
  std::string name_;
  std::any data_;
  std::shared_ptr<slot> slot_;
  void* node_ = nullptr;
  event event_;
  parked_waiter parked_;  // a grant wakes the user parked here
  bool done_ = false;
};
}  // namespace detail

/// Awaitable: adds the user (with `data` for the actions) and resumes it once
/// its groups acted; gives the event of the last one.
[[nodiscard]] inline detail::joiner add(user& u, std::string_view name, std::any data = {}) {
  return {u, name, std::move(data)};
}

}  // namespace amoc::coordinator

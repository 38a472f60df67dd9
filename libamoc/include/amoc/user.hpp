#pragma once

/// `amoc::user`: what a scenario's `start(user&)` coroutine sees of the
/// simulated user running it: its id, config, an awaitable sleep, the stop flag,
/// logging tagged with the id, the node's metrics, and the hooks protocol
/// libraries (XMPP, HTTP) use to suspend the coroutine until I/O completes.

#include <coroutine>
#include <cstdint>
#include <string>
#include <string_view>

#include "amoc/config.hpp"
#include "amoc/log.hpp"

namespace amoc {

class io_pool;

namespace metrics {
class registry;
}

namespace users {
class table;
}

/// A simulated user. Implemented by the runtime's user actor; scenario code
/// only uses the public members, always from inside its own coroutine.
class user {
public:
  user(const user&) = delete;
  user& operator=(const user&) = delete;

  /// The user's unique integer id (from the run's id range).
  [[nodiscard]] std::uint64_t id() const noexcept { return id_; }

  /// 1 for the first run of `start`, 2 for the second, ...
  [[nodiscard]] std::uint64_t iteration() const noexcept { return iteration_; }

  /// True once a graceful stop was requested: finish the current iteration.
  [[nodiscard]] bool stopping() const noexcept { return stopping_; }

  /// A config value with the usual precedence (throws config::error if missing).
  template <class T>
  [[nodiscard]] T config(std::string_view name) const {
    return settings().get<T>(name);
  }
  template <class T>
  [[nodiscard]] T config(std::string_view name, T fallback) const {
    return settings().get<T>(name, std::move(fallback));
  }

  /// Changes when a config value may have (config::store::stamp): values
  /// read per user can be read once and kept while it stays the same.
  [[nodiscard]] config::store::stamp config_stamp() const { return settings().current_stamp(); }

  /// True when the run reads its users from a file (the `users_file` setting).
  [[nodiscard]] bool has_users_file() const { return users_table() != nullptr; }
  /// Column `column` of this user's row in the users file (row N is user N):
  /// `u.param("password")`. Throws config::error naming the column and the
  /// file when the file has no such column, or when no users_file is set.
  [[nodiscard]] std::string_view param(std::string_view column) const;
  /// The same, or `fallback` when no users_file is set or it has no such column.
  [[nodiscard]] std::string param(std::string_view column, std::string fallback) const;
  /// The username of user `id` (for addressing another user, e.g. a chat
  /// partner): every node of a run holds every user's username, but the other
  /// columns of its own users only. Throws config::error without a users_file
  /// or a row for `id`.
  [[nodiscard]] std::string_view username_of(std::uint64_t id) const;

  /// Awaitable: `co_await user.sleep(2s);`
  struct sleep_awaiter {
    user* self;
    duration span;
    bool await_ready() const noexcept { return span <= duration::zero(); }
    void await_suspend(std::coroutine_handle<> h) { self->suspend_for(h, span); }
    void await_resume() const noexcept {}
  };
  [[nodiscard]] sleep_awaiter sleep(duration span) noexcept { return {this, span}; }

  /// The node's metrics (counters, gauges, histograms by name).
  [[nodiscard]] virtual metrics::registry& metrics() const = 0;

  /// Log lines tagged "user <id>: ".
  [[nodiscard]] log::line debug() const { return {log::level::debug, tag()}; }
  [[nodiscard]] log::line info() const { return {log::level::info, tag()}; }
  [[nodiscard]] log::line warning() const { return {log::level::warning, tag()}; }
  [[nodiscard]] log::line error() const { return {log::level::error, tag()}; }

  // ---- For protocol libraries (xmpp, http), not for scenario code ----------

  /// Why a parked coroutine was resumed.
  enum class wake_cause : std::uint8_t { io, timeout };

  /// Call from an awaiter's `await_suspend`: parks `h` until `wake(ticket)`
  /// is called (from any thread) or `timeout` passes (`duration::max()`: never).
  /// Returns the ticket to hand to whoever completes the I/O.
  [[nodiscard]] virtual std::uint32_t park(std::coroutine_handle<> h, duration timeout) = 0;
  /// Resumes the coroutine parked under `ticket` if it still is; a late or
  /// repeated call is ignored. Thread-safe; never blocks.
  virtual void wake(std::uint32_t ticket) noexcept = 0;
  /// Why the most recently parked coroutine was resumed.
  [[nodiscard]] wake_cause last_wake() const noexcept { return last_wake_; }
  /// The run's I/O threads.
  [[nodiscard]] virtual io_pool& io() const = 0;

protected:
  explicit user(std::uint64_t id) noexcept : id_(id) {}
  ~user() = default;

  /// Suspends `h` and resumes it after `span` (unless the user is killed first).
  virtual void suspend_for(std::coroutine_handle<> h, duration span) = 0;
  /// The config store of the run this user belongs to.
  [[nodiscard]] virtual const config::store& settings() const = 0;
  /// The rows of the run's users file on this node, or nullptr without one.
  [[nodiscard]] virtual const users::table* users_table() const { return nullptr; }

  std::uint64_t id_;
  std::uint64_t iteration_ = 0;
  bool stopping_ = false;
  wake_cause last_wake_ = wake_cause::timeout;

private:
  [[nodiscard]] std::string tag() const { return "user " + std::to_string(id_) + ": "; }
};

}  // namespace amoc

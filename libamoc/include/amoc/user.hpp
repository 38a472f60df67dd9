#pragma once

/// `amoc::user`: what a scenario's `start(user&)` coroutine sees of the
/// simulated user running it: its id, config, an awaitable sleep, the stop flag
/// and logging tagged with the id.

#include <coroutine>
#include <cstdint>
#include <string>
#include <string_view>

#include "amoc/config.hpp"
#include "amoc/log.hpp"

namespace amoc {

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

  /// Awaitable: `co_await user.sleep(2s);`
  struct sleep_awaiter {
    user* self;
    duration span;
    bool await_ready() const noexcept { return span <= duration::zero(); }
    void await_suspend(std::coroutine_handle<> h) { self->suspend_for(h, span); }
    void await_resume() const noexcept {}
  };
  [[nodiscard]] sleep_awaiter sleep(duration span) noexcept { return {this, span}; }

  /// Log lines tagged "user <id>: ".
  [[nodiscard]] log::line debug() const { return {log::level::debug, tag()}; }
  [[nodiscard]] log::line info() const { return {log::level::info, tag()}; }
  [[nodiscard]] log::line warning() const { return {log::level::warning, tag()}; }
  [[nodiscard]] log::line error() const { return {log::level::error, tag()}; }

protected:
  explicit user(std::uint64_t id) noexcept : id_(id) {}
  ~user() = default;

  /// Suspends `h` and resumes it after `span` (unless the user is killed first).
  virtual void suspend_for(std::coroutine_handle<> h, duration span) = 0;
  /// The config store of the run this user belongs to.
  [[nodiscard]] virtual const config::store& settings() const = 0;

  std::uint64_t id_;
  std::uint64_t iteration_ = 0;
  bool stopping_ = false;

private:
  [[nodiscard]] std::string tag() const { return "user " + std::to_string(id_) + ": "; }
};

}  // namespace amoc

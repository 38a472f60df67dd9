#pragma once

/// `amoc::task<T>`: the coroutine type of scenario code. Lazily started, awaited
/// with `co_await`, resumed by the user actor that owns it. Destroying a task
/// destroys its coroutine frame and every frame it is awaiting, which is how a
/// forced stop ends a user mid-step.

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace amoc {

/// The coroutine type of scenario code: `amoc::task<> start(user&)`.
template <class T = void>
class task;

namespace detail {

/// The promise parts shared by every task (continuation, exception).
struct promise_base {
  std::coroutine_handle<> continuation = std::noop_coroutine();
  std::exception_ptr failure;

  std::suspend_always initial_suspend() noexcept { return {}; }

  // Symmetric transfer back to the awaiting coroutine; the root task's
  // continuation is a no-op, so resume() simply returns to the actor.
  struct final_awaiter {
    bool await_ready() noexcept { return false; }
    template <class Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> h) noexcept {
      return h.promise().continuation;
    }
    void await_resume() noexcept {}
  };
  final_awaiter final_suspend() noexcept { return {}; }

  void unhandled_exception() noexcept { failure = std::current_exception(); }
};

/// The promise of a task returning `T`.
template <class T>
struct promise : promise_base {
  std::optional<T> value;
  task<T> get_return_object() noexcept;
  template <class U>
  void return_value(U&& x) {
    value.emplace(std::forward<U>(x));
  }
  T take() {
    if (failure)
      std::rethrow_exception(failure);
    return std::move(*value);
  }
};

template <>
struct promise<void> : promise_base {
  task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  void take() {
    if (failure)
      std::rethrow_exception(failure);
  }
};

}  // namespace detail

template <class T>
class [[nodiscard]] task {
public:
  using promise_type = detail::promise<T>;
  using handle_type = std::coroutine_handle<promise_type>;

  task() noexcept = default;
  explicit task(handle_type h) noexcept : handle_(h) {}
  task(task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  task& operator=(task&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, {});
    }
    return *this;
  }
  task(const task&) = delete;
  task& operator=(const task&) = delete;
  ~task() { reset(); }

  bool await_ready() const noexcept { return !handle_ || handle_.done(); }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
    handle_.promise().continuation = awaiting;
    return handle_;
  }
  T await_resume() { return handle_.promise().take(); }

  /// For the runtime driving a root task: true once the coroutine has returned or thrown.
  bool done() const noexcept { return !handle_ || handle_.done(); }
  /// For the runtime driving a root task: runs it until its next suspension.
  void resume() { handle_.resume(); }
  /// For the runtime: the result of a finished task, rethrowing its exception.
  T result() { return handle_.promise().take(); }
  /// Destroys the coroutine frame (and everything it awaits).
  void reset() noexcept {
    if (handle_)
      std::exchange(handle_, {}).destroy();
  }

private:
  handle_type handle_;
};

namespace detail {

template <class T>
task<T> promise<T>::get_return_object() noexcept {
  return task<T>{std::coroutine_handle<promise<T>>::from_promise(*this)};
}

inline task<void> promise<void>::get_return_object() noexcept {
  return task<void>{std::coroutine_handle<promise<void>>::from_promise(*this)};
}

}  // namespace detail

}  // namespace amoc

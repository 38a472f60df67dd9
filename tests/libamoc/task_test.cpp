#include "amoc/task.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

using amoc::task;

namespace {

// Stands in for the user actor: remembers the suspended coroutine.
struct driver {
  std::coroutine_handle<> suspended;
  struct awaiter {
    driver* d;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) noexcept { d->suspended = h; }
    void await_resume() const noexcept {}
  };
  awaiter pause() { return {this}; }
  void resume() { std::exchange(suspended, {}).resume(); }
};

struct tracker {
  int* destroyed;
  ~tracker() { ++*destroyed; }
};

task<int> child(driver& d, int x) {
  co_await d.pause();
  co_return x * 2;
}

task<std::string> grandparent(driver& d) {
  int a = co_await child(d, 1);
  int b = co_await child(d, 20);
  co_return std::to_string(a + b);
}

task<> thrower(driver& d) {
  co_await d.pause();
  throw std::runtime_error("scenario failed");
}

task<> holds(driver& d, int& destroyed) {
  tracker t{&destroyed};
  co_await child(d, 1);
  co_await d.pause();
}

}  // namespace

TEST(task, is_lazy_and_runs_to_each_suspension) {
  driver d;
  auto t = grandparent(d);
  EXPECT_FALSE(t.done());
  EXPECT_FALSE(d.suspended) << "nothing runs before the first resume";
  t.resume();
  ASSERT_TRUE(d.suspended);
  d.resume();
  EXPECT_FALSE(t.done());
  d.resume();
  ASSERT_TRUE(t.done());
  EXPECT_EQ(t.result(), "42");
}

TEST(task, rethrows_the_exception_of_the_coroutine) {
  driver d;
  auto t = thrower(d);
  t.resume();
  d.resume();
  ASSERT_TRUE(t.done());
  EXPECT_THROW(t.result(), std::runtime_error);
}

TEST(task, destroying_the_root_destroys_every_nested_frame) {
  driver d;
  int destroyed = 0;
  {
    auto t = holds(d, destroyed);
    t.resume();  // suspended inside child()
    ASSERT_TRUE(d.suspended);
  }
  EXPECT_EQ(destroyed, 1);
}

TEST(task, moves_transfer_ownership) {
  driver d;
  int destroyed = 0;
  auto a = holds(d, destroyed);
  task<> b = std::move(a);
  EXPECT_TRUE(a.done()) << "a moved-from task is empty";
  b.resume();
  b = task<>{};
  EXPECT_EQ(destroyed, 1);
}

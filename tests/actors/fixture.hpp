#pragma once

// Deterministic actor tests: CAF's test_coordinator runs every actor on the
// test thread and time only moves when the test advances it.

#include <gtest/gtest.h>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>

#include "amoc/actors.hpp"
#include "amoc/config.hpp"
#include "amoc/metrics.hpp"

namespace amoc::test {

struct test_config : caf::actor_system_config {
  test_config();
};

class actor_test : public ::testing::Test {
protected:
  actor_test();
  ~actor_test() override;

  /// Runs every job that is ready, without moving time.
  void run() { sched.run(); }

  /// Moves simulated time forward in steps, running what becomes due.
  void advance(duration span, duration step = std::chrono::milliseconds{1});

  /// Sends a request, runs the system, and returns the reply or the error.
  template <class T, class... Ts>
  caf::expected<T> call(const caf::actor& dest, Ts&&... xs) {
    auto handle = self->request(dest, caf::infinite, std::forward<Ts>(xs)...);
    run();
    caf::expected<T> result{caf::error{}};
    handle.receive([&](T& value) { result = std::move(value); },
                   [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  test_config cfg;
  caf::actor_system sys;
  caf::scheduler::test_coordinator& sched;
  caf::scoped_actor self;
  config::store store;
  metrics::registry metrics;
};

/// A local node (controller + supervisor) with controller-level helpers.
class node_test : public actor_test {
protected:
  node_test();
  ~node_test() override;

  caf::error start(const std::string& scenario, std::uint64_t first, std::uint64_t last);
  [[nodiscard]] status current();
  /// Removes n users through the controller; returns how many it removed.
  std::uint64_t remove(std::uint64_t n, bool force);
  [[nodiscard]] std::uint64_t ended(amoc::exit reason) { return current().users.ended[reason]; }

  caf::actor node;
};

}  // namespace amoc::test

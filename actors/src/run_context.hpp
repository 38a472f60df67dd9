#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "amoc/config.hpp"
#include "amoc/io_pool.hpp"
#include "amoc/metrics.hpp"
#include "amoc/scenario.hpp"
#include "amoc/settings.hpp"
#include "amoc/users_file.hpp"
#include "end_log.hpp"
#include "spawn_gate.hpp"
#include "timer_ticker.hpp"
#include "timer_wheel.hpp"

namespace amoc::detail {

class shaping_node;

/// What the users of one run on one node share: the scenario instance (after
/// its init()), the run settings (the repeat ones live), the node's metrics, the timer
/// wheel with its ticker, the I/O threads, and live user counters (relaxed
/// atomics, one update per state change).
struct run_context {
  run_context(std::unique_ptr<scenario> s, const config::store& cfg, run_settings rs,
              metrics::registry& registry, caf::actor_system& sys);
  ~run_context();
  run_context(const run_context&) = delete;
  run_context& operator=(const run_context&) = delete;

  /// Re-reads the repeat settings after a live update (`update_settings`).
  void reload_settings(const run_settings& rs);
  [[nodiscard]] duration repeat_interval() const {
    return duration{repeat_interval_ns.load(std::memory_order_relaxed)};
  }
  [[nodiscard]] count repeat_num() const {
    return count{repeat_num_value.load(std::memory_order_relaxed)};
  }

  std::unique_ptr<scenario> instance;
  const config::store& store;
  // Read by every user after each iteration, changed by live updates.
  std::atomic<duration::rep> repeat_interval_ns;
  std::atomic<std::uint64_t> repeat_num_value;
  metrics::registry& metrics;
  std::shared_ptr<timer_wheel> wheel;
  std::unique_ptr<ticker> ticks;
  // The node scheduler's event loops (or an own thread under test schedulers).
  io_pool io;
  // The run's throttles and coordinators on this node (amoc/throttle.hpp).
  std::shared_ptr<shaping_node> shaping;

  // The rows of the run's users file this node holds (user::param), or nullptr.
  std::shared_ptr<const users::table> rows;

  // Users spawned and not yet run: the supervisor waits at it (spawn_gate.hpp).
  spawn_gate gate;
  // Users that ended, for the supervisor to book (end_log.hpp). Shared, so
  // that an ending user can drop the run first and append after.
  std::shared_ptr<end_log> ends = std::make_shared<end_log>();

  std::atomic<std::int64_t> running{0};
  std::atomic<std::int64_t> waiting{0};
  std::atomic<std::int64_t> stopping{0};
};

}  // namespace amoc::detail

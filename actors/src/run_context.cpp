#include "run_context.hpp"

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include "amoc/defaults.hpp"
#include "node_scheduler.hpp"
#include "shaping_node.hpp"
#include "timer_ticker.hpp"

namespace amoc::detail {

run_context::run_context(std::unique_ptr<scenario> s, const config::store& cfg, run_settings rs,
                         metrics::registry& registry, caf::actor_system& sys)
    : instance(std::move(s)), store(cfg), repeat_interval_ns(rs.repeat_interval.count()),
      repeat_num_value(rs.repeat_num.value), metrics(registry),
      wheel(std::make_shared<timer_wheel>(defaults::runtime::timer_resolution,
                                          defaults::runtime::timer_slots)),
      io(worker_io_contexts(sys)),
      gate(static_cast<std::int64_t>(defaults::runtime::spawn_batch / 2)) {
  // On amoc's scheduler the wheel ticks on an event loop; on CAF's test
  // scheduler it ticks as an actor, in simulated time.
  const auto loops = worker_io_contexts(sys);
  ticks = loops.empty() ? ticker::as_actor(sys, wheel) : ticker::on_loop(sys, *loops.front(), wheel);
}

run_context::~run_context() = default;

void run_context::reload_settings(const run_settings& rs) {
  repeat_interval_ns.store(rs.repeat_interval.count(), std::memory_order_relaxed);
  repeat_num_value.store(rs.repeat_num.value, std::memory_order_relaxed);
}

}  // namespace amoc::detail

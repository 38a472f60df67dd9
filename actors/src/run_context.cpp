#include "run_context.hpp"

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include "amoc/defaults.hpp"
#include "timer_ticker.hpp"

namespace amoc::detail {

run_context::run_context(std::unique_ptr<scenario> s, const config::store& cfg, run_settings rs,
                         metrics::registry& registry, caf::actor_system& sys)
    : instance(std::move(s)), store(cfg), settings(rs), metrics(registry),
      wheel(std::make_shared<timer_wheel>(defaults::runtime::timer_resolution,
                                          defaults::runtime::timer_slots)),
      ticker(sys.spawn(timer_ticker, wheel)), io(rs.io_threads) {}

run_context::~run_context() { caf::anon_send_exit(ticker, caf::exit_reason::user_shutdown); }

}  // namespace amoc::detail

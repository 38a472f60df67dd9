#pragma once

/// The local control API: one amoc node inside this process. The REPL, the
/// REST gateway, `amoc run` and custom harnesses all drive runs through it.
///
///   amoc::runtime rt;
///   if (auto err = rt.start("dummy", 1, 100)) ...   // amoc_local:do(dummy, 1, 100)
///   rt.add(10);                                     // amoc_local:add(10)
///   rt.remove(10, true);                            // amoc_local:remove(10, [{force,true}])
///   auto st = rt.wait(60s);                         // until every user ended

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include "amoc/config.hpp"
#include "amoc/metrics.hpp"
#include "amoc/status.hpp"

namespace amoc {

class runtime {
public:
  struct options {
    /// Config the run reads; nullptr means `config::global()`.
    config::store* store = nullptr;
    /// Scheduler threads; 0 means one per core.
    std::size_t threads = 0;
  };

  runtime();
  explicit runtime(options opts);
  /// Stops remaining users by force and shuts the actor system down.
  ~runtime();
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  /// Starts `scenario` with users first..last inclusive (`amoc_local:do`).
  /// Validates the settings and runs the scenario's init() first.
  [[nodiscard]] caf::error start(std::string_view scenario, std::uint64_t first,
                                 std::uint64_t last);
  /// Adds n users with the next ids.
  [[nodiscard]] caf::error add(std::uint64_t n);
  /// Removes the newest n users: gracefully (finish the iteration) or by force.
  [[nodiscard]] caf::expected<std::uint64_t> remove(std::uint64_t n, bool force = false);
  /// Removes every user; the run then finishes.
  [[nodiscard]] caf::error stop(bool force = false);
  /// The run's state, scenario and users by state and end reason.
  [[nodiscard]] caf::expected<amoc::status> status();
  /// Blocks until the run is finished or failed; `ec::timeout` after `timeout`.
  [[nodiscard]] caf::expected<amoc::status> wait(duration timeout);

  /// The config this runtime reads.
  [[nodiscard]] config::store& settings();
  /// The metrics this node's users record.
  [[nodiscard]] metrics::registry& metrics();
  /// The underlying actor system, for harnesses that add their own actors.
  [[nodiscard]] caf::actor_system& system();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace amoc

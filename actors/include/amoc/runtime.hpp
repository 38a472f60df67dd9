#pragma once

/// The local control API: one amoc node inside this process. The REPL, the
/// REST gateway, `amoc run` and custom harnesses all drive runs through it.
///
///   amoc::runtime rt;
///   if (auto err = rt.start("dummy", 1, 100)) ...   // amoc_local:do(dummy, 1, 100)
///   rt.add(10);                                     // amoc_local:add(10)
///   rt.remove(10, true);                            // amoc_local:remove(10, [{force,true}])
///   auto st = rt.wait(60s);                         // until every user ended
///   auto run = rt.launch(run_value);                // a run file's run: duration,
///                                                   // stages, thresholds (amoc/execution.hpp)

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include "amoc/config.hpp"
#include "amoc/execute.hpp"
#include "amoc/execution.hpp"
#include "amoc/link_security.hpp"
#include "amoc/metrics.hpp"
#include "amoc/metrics_snapshot.hpp"
#include "amoc/status.hpp"

namespace amoc {

/// One amoc node (or the master of worker nodes) inside this process: start,
/// grow, shrink, stop and watch runs. Several may live in one process.
class runtime {
public:
  struct options {
    /// Config the run reads; nullptr means `config::global()`.
    config::store* store = nullptr;
    /// Scheduler threads; 0 means one per core.
    std::size_t threads = 0;
    /// Worker nodes ("host:port"): when given, this runtime is the master of a
    /// distributed run (`amoc_dist`): it runs no users itself.
    std::vector<std::string> nodes;
    /// How links to the worker nodes are secured.
    link_security security;

    /// A local node reading `store`, with `threads` scheduler threads.
    [[nodiscard]] static options local(config::store* store, std::size_t threads = 0) {
      options opts;
      opts.store = store;
      opts.threads = threads;
      return opts;
    }
  };

  /// Where a distributed run's users go (`amoc_dist` options).
  struct placement {
    /// Worker nodes by name or address; empty means every node that is up.
    std::vector<std::string> nodes;
    /// Recorded with the run's start and sent as a metrics annotation.
    std::string comment;
  };

  runtime();
  /// Throws std::invalid_argument when `nodes` are given but `security` is
  /// neither complete nor explicitly insecure (check it first with `check()`).
  explicit runtime(options opts);
  /// Stops remaining users by force and shuts the actor system down.
  ~runtime();
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  /// Starts `scenario` with users first..last inclusive (`amoc_local:do`).
  /// Validates the settings and runs the scenario's init() first. `last` is at
  /// most `defaults::runtime::max_start_id` and an add takes at most
  /// `defaults::runtime::max_users_per_request` users (else `invalid_argument`),
  /// so that no counter can wrap.
  [[nodiscard]] caf::error start(std::string_view scenario, std::uint64_t first,
                                 std::uint64_t last);
  /// The same over worker nodes (`amoc_dist:do`): users are spread round-robin
  /// by id over the chosen nodes (first id -> first node, ...).
  [[nodiscard]] caf::error start(std::string_view scenario, std::uint64_t first, std::uint64_t last,
                                 const placement& where);
  /// Adds n users with the next ids.
  [[nodiscard]] caf::error add(std::uint64_t n);
  /// Adds n users, continuing the round-robin over `nodes` (or the run's nodes).
  [[nodiscard]] caf::error add(std::uint64_t n, const std::vector<std::string>& nodes);
  /// Removes the newest n users: gracefully (finish the iteration) or by force.
  [[nodiscard]] caf::expected<std::uint64_t> remove(std::uint64_t n, bool force = false);
  /// Removes n users from the chosen `nodes` only (all of the run's nodes when
  /// empty: the newest n as above), split evenly over what each node holds.
  /// Returns how many the nodes removed.
  [[nodiscard]] caf::expected<std::uint64_t> remove(std::uint64_t n, bool force,
                                                    const std::vector<std::string>& nodes);
  /// Removes every user; the run then finishes.
  [[nodiscard]] caf::error stop(bool force = false);
  /// The same, waiting at most `timeout` for the node to accept it (a node
  /// whose threads a scenario holds cannot answer).
  [[nodiscard]] caf::error stop(bool force, duration timeout);
  /// Live settings (`update_settings`): changes run-time values on every node
  /// of the run, or only on `nodes`. During a run each key must be a setting
  /// the run declares with an update policy that allows it (amoc/config_update.hpp);
  /// nothing changes when any key is refused. Outside a run the values are
  /// simply set for the next run. `settings` is a JSON object of name -> value.
  [[nodiscard]] caf::error update_settings(const config::json& settings,
                                           const std::vector<std::string>& nodes = {});
  /// The run's state, scenario and users by state and end reason.
  [[nodiscard]] caf::expected<amoc::status> status();
  /// The same, `ec::timeout` when the node does not answer within `timeout`.
  [[nodiscard]] caf::expected<amoc::status> status(duration timeout);
  /// Blocks until the run is finished or failed; `ec::timeout` after `timeout`.
  [[nodiscard]] caf::expected<amoc::status> wait(duration timeout);

  /// A master waits until every worker node is up, at most `timeout`; returns
  /// the status either way (nodes that are down say why). Local: at once.
  [[nodiscard]] caf::expected<amoc::status> await_nodes(duration timeout);
  /// Every metric of the run: this node's, or all worker nodes' merged.
  [[nodiscard]] caf::expected<metrics::snapshot> metrics_snapshot();
  /// The same, `ec::timeout` when a master's nodes do not answer within `timeout`.
  [[nodiscard]] caf::expected<metrics::snapshot> metrics_snapshot(duration timeout);
  /// Counters and gauges for a progress line: a local node's without copying
  /// its histograms (most of the cost of a snapshot), a master's as above.
  [[nodiscard]] caf::expected<metrics::snapshot> counters_snapshot();
  /// Ships a built scenario plugin to every worker node that is up, and to
  /// nodes that attach later; each writes it to its upload folder
  /// (`plugins::upload_dir()`) and loads it. Returns, per node name, "ok" or
  /// why it failed. A local runtime has no nodes: the result is empty.
  [[nodiscard]] caf::expected<std::vector<std::pair<std::string, std::string>>>
  share_plugin(const std::string& file_name, const std::string& bytes);
  /// True when this runtime is the master of worker nodes.
  [[nodiscard]] bool distributed() const noexcept;

  /// Executes a run value (amoc/run_file.hpp): applies its settings, waits
  /// for the worker nodes (`node_wait`), starts its users, and hands it to an
  /// executor that follows its stages, duration, graceful stop and
  /// thresholds on the actor side. Returns once the users started; errors
  /// from the start (bad config, unknown scenario, failed init) as they are.
  [[nodiscard]] caf::expected<std::shared_ptr<execution>> launch(const run_file& run,
                                                                 execute_options options = {});
  /// The run launched last (running or ended); nullptr before the first.
  [[nodiscard]] std::shared_ptr<execution> last_execution() const;

  /// The config this runtime reads.
  [[nodiscard]] config::store& settings();
  /// The metrics this node's users record (empty on a master).
  [[nodiscard]] metrics::registry& metrics();
  /// The underlying actor system, for harnesses that add their own actors.
  [[nodiscard]] caf::actor_system& system();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace amoc

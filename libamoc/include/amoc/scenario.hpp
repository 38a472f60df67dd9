#pragma once

/// The scenario API. A scenario is a class registered by name:
///
///   class my_scenario : public amoc::scenario {
///   public:
///     void init() override { ... }                 // once per run per node
///     amoc::task<> start(amoc::user& u) override { // once per user, repeated
///       co_await u.sleep(1s);
///     }
///   };
///   AMOC_REGISTER_SCENARIO(my_scenario, "my_scenario", "What it does", {variables...});
///
/// One instance exists per run per node: members set in `init()` are the state
/// shared by that node's users (they run on several threads: share read-only
/// data, or use atomics).

#include <concepts>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "amoc/config.hpp"
#include "amoc/metrics.hpp"
#include "amoc/task.hpp"
#include "amoc/user.hpp"

namespace amoc {

namespace detail {
struct scenario_access;
}

/// Base class of scenarios: one instance per run per node.
class scenario {
public:
  virtual ~scenario() = default;

  /// Runs once per run on each node before any user starts. Throw to fail
  /// the run: no user starts and the run ends in the error state.
  virtual void init() {}

  /// The per-user coroutine; run again after `repeat_interval`, `repeat_num`
  /// times in all. An exception ends this user with reason `scenario_error`.
  virtual task<> start(user& u) = 0;

  /// Runs once per run on each node after the last user has ended.
  virtual void terminate() {}

  /// Asked every `scenario_checking_interval` on the master (by `amoc run`,
  /// on an instance without init()): return false to stop the run gracefully
  /// (the original's `continue/0`). An exception stops it too.
  virtual bool should_continue() { return true; }

  /// With "batches": N in the run file, asked every `add_batch_interval` on
  /// the master for batch i = 1..N, with the size of the previous batch:
  /// how many users to add now (0 ends the batches).
  virtual std::uint64_t next_user_batch(std::uint64_t i, std::uint64_t previous) {
    (void)i;
    return previous;
  }

protected:
  /// A value from the config of the run this instance belongs to.
  template <class T>
  [[nodiscard]] T config(std::string_view name) const {
    return store_->get<T>(name);
  }
  template <class T>
  [[nodiscard]] T config(std::string_view name, T fallback) const {
    return store_->get<T>(name, std::move(fallback));
  }

  /// The metrics of the node this instance runs on: create the run's
  /// counters and histograms in `init()` and keep the references.
  [[nodiscard]] metrics::registry& metrics() const { return *metrics_; }

private:
  friend struct detail::scenario_access;
  const config::store* store_ = &config::global();
  metrics::registry* metrics_ = nullptr;
};

namespace detail {
/// For the runtime: binds a scenario instance to its run's config and its node's metrics.
struct scenario_access {
  static void bind(scenario& s, const config::store& store, metrics::registry& metrics) {
    s.store_ = &store;
    s.metrics_ = &metrics;
  }
};
}  // namespace detail

/// What the registry knows of a scenario class.
struct scenario_info {
  std::string name;
  std::string description;
  std::vector<config::variable> variables;
  std::function<std::unique_ptr<scenario>()> make;
  /// Where it came from: "built-in" or the plugin's file (set by the registry).
  std::string origin = {};
  /// The file name of the source that registered it ("dummy.cpp").
  std::string source = {};
};

/// Adds a scenario to the process-wide registry; a later one with the same name
/// replaces it. While a plugin loads, registrations go to the plugin loader
/// instead (amoc/plugins.hpp), which checks them before adding them.
bool register_scenario(scenario_info info, std::string_view source_file = {});

/// Adds the scenario class `T` under `name`, from code (a harness's main, a
/// test): the typed form of AMOC_REGISTER_SCENARIO. Register before the run
/// that uses it starts; a later registration of the same name replaces it.
///
///   amoc::register_scenario<login_scenario>("login", "Logs in and out", {});
template <std::derived_from<scenario> T>
bool register_scenario(std::string name, std::string description,
                       std::vector<config::variable> variables = {}) {
  return register_scenario(
    scenario_info{std::move(name), std::move(description), std::move(variables),
                  [] { return std::unique_ptr<scenario>(std::make_unique<T>()); }});
}

/// The registered scenario called `name`, or nullptr.
[[nodiscard]] const scenario_info* find_scenario(std::string_view name);

/// Names of all registered scenarios, sorted.
[[nodiscard]] std::vector<std::string> scenario_names();

}  // namespace amoc

// Plugins built by `amoc scenarios build` are compiled with the ABI tag of the
// amoc build they target; the loader refuses a plugin whose tag differs from
// its own, since scenario classes share vtables and layouts with the binary.
#ifdef AMOC_PLUGIN_ABI
extern "C" {
[[gnu::visibility("default"), gnu::used]] inline const char* amoc_plugin_abi() noexcept {
  return AMOC_PLUGIN_ABI;
}
}
#endif

/// Registers `Class` under `Name` with a description and its declared variables.
#define AMOC_REGISTER_SCENARIO(Class, Name, Description, ...)                                      \
  static const bool amoc_registered_##Class [[maybe_unused]] = ::amoc::register_scenario(          \
    {Name, Description, std::vector<::amoc::config::variable> __VA_ARGS__,                         \
     [] { return std::unique_ptr<::amoc::scenario>(std::make_unique<Class>()); }},                 \
    __FILE__)

#pragma once

/// Every default knob of amoc, in one place.

#include <chrono>
#include <cstddef>

namespace amoc::defaults {

using namespace std::chrono_literals;

/// Built-in run settings (names as in the Erlang original).
namespace settings {
inline constexpr auto interarrival = 50ms;    ///< per node, between two user spawns
inline constexpr auto repeat_interval = 60s;  ///< between two iterations of a user
inline constexpr const char* repeat_num = "infinity";
inline constexpr auto scenario_checking_interval = 60s;  ///< should_continue() on the master
inline constexpr auto add_batch_interval = 5min;         ///< between next_user_batch() batches
}  // namespace settings

/// The local actor runtime.
namespace runtime {
/// Most users one supervisor tick spawns, so status and remove stay responsive
/// while a large interarrival-0 batch is being created.
inline constexpr std::size_t spawn_batch = 2000;
/// Most exit messages one supervisor step sends when users are removed.
inline constexpr std::size_t remove_batch = 2000;
/// Granularity of user sleeps and timeouts (the node's timer wheel).
inline constexpr auto timer_resolution = 1ms;
/// How far a throttle's actions may lag behind their slots (a late tick on a
/// busy CPU) and still go, catching up; beyond that the missed slots are
/// dropped, so a burst is at most this much of the rate.
inline constexpr auto throttle_catch_up = 50ms;
/// Timer wheel slots: one turn is slots x resolution (65 s); longer timers
/// simply wait for their round.
inline constexpr std::size_t timer_slots = 65536;
}  // namespace runtime

/// The command line.
namespace cli {
inline constexpr const char* config_file = "configs/amoc.json";
inline constexpr auto progress_interval = 1s;
/// How long `amoc run` lets users finish their iteration after `duration`
/// before it stops them by force.
inline constexpr auto graceful_stop_timeout = 30s;
}  // namespace cli

/// The console (`amoc console`, `amoc start`/`attach`/`stop`).
namespace console {
/// Lines of history kept across sessions.
inline constexpr int history_size = 1000;
/// Leaving the console (or `amoc stop`) stops users gracefully, then by force
/// after this.
inline constexpr auto leave_timeout = 10s;
/// How long `amoc start` waits for the background node to accept consoles.
inline constexpr auto start_timeout = 30s;
/// How long `amoc stop` waits for the node to exit after stopping its runs.
inline constexpr auto stop_timeout = 30s;
}  // namespace console

/// Distributed runs.
namespace dist {
/// How long a master waits for its worker nodes to answer before a run
/// starts on those that are up (`node_wait`).
inline constexpr auto node_wait = 10s;
}  // namespace dist

/// Metrics and their exports (`metrics_interval`, `graphite_*`, `prometheus_port`).
namespace metrics {
/// Between two samples of the time series and two Graphite reports.
inline constexpr auto interval = 10s;
/// Most points a run's time series keeps before halving its resolution: two
/// weeks at 10 s (40 bytes per histogram point, 8 per counter point).
inline constexpr std::size_t max_points = 2 * 8640 * 7;
inline constexpr int graphite_port = 2003;
inline constexpr const char* graphite_prefix = "amoc";
/// Connecting and sending to Graphite give up after this, so a dead carbon
/// never stalls the run's sampling.
inline constexpr auto graphite_timeout = 2s;
}  // namespace metrics

/// Scenario plugins (`amoc scenarios build`, loading at start).
namespace plugins {
/// Overrides the plugin folder.
inline constexpr const char* dir_env = "AMOC_PLUGIN_DIR";
/// The plugin folder, relative to the folder holding the `amoc` binary.
inline constexpr const char* dir_next_to_binary = "../plugins";
/// Overrides where plugin builds find amoc's headers and flags.
inline constexpr const char* sdk_env = "AMOC_SDK_DIR";
/// Scenario sources `amoc scenarios build` compiles when given no folder.
inline constexpr const char* scenarios_dir = "scenarios";
}  // namespace plugins

}  // namespace amoc::defaults

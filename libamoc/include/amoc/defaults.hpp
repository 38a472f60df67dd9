#pragma once

/// Every default knob of amoc, in one place.

#include <chrono>
#include <cstddef>
#include <cstdint>

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
/// Most users one add (or a REST start) may ask for: beyond what one request
/// should ask of a cluster (at ~2 KB per user, 20 GB), and far from any
/// counter's overflow (~10^12 such requests before 64 bits wrap).
inline constexpr std::uint64_t max_users_per_request = 10'000'000;
/// The highest user id a start may name, so that the ids later adds
/// hand out stay far from wrapping around.
inline constexpr std::uint64_t max_start_id = 1'000'000'000'000;
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

/// The console's control socket (`amoc start`, `attach`, `status`, `stop`).
namespace control {
/// Longest message line either side accepts; a longer one ends the connection.
inline constexpr std::size_t max_line = 64 << 10;
/// A connection must say hello within this, or it is closed.
inline constexpr auto handshake_timeout = 5s;
/// Most connections at once; past it a connection still in its handshake
/// makes room, else the new one is turned away.
inline constexpr std::size_t max_connections = 32;
/// A console that does not read its replies for this long is dropped.
inline constexpr auto send_timeout = 5s;
}  // namespace control

/// The HTTP server under the REST gateway (amoc/web_server.hpp).
namespace web {
/// Open connections at once (`rest_max_connections`); past it an idle one
/// makes room, else a 503 answers. Below the 20,000 open files a process may
/// have, leaving most of them to the users a node runs.
inline constexpr std::size_t max_connections = 4096;
/// Event streams (`/events`) at once; each may hold a backlog.
inline constexpr std::size_t max_streams = 64;
/// A request's headers and body must have arrived this long after the
/// connection opened or the request's first byte.
inline constexpr auto request_timeout = 5s;
/// A kept-alive connection may wait this long for its next request.
inline constexpr auto idle_timeout = 15s;
/// Each write of a response or of a piece of an event stream.
inline constexpr auto write_timeout = 10s;
/// After an answer sent before the request was read (413, 401, 503), what the
/// client still sends is read and dropped for this long, so it sees the answer.
inline constexpr auto linger = 2s;
inline constexpr std::size_t max_header_bytes = 16 << 10;
/// Threads that run handlers (which may block on the runtime or a compiler).
inline constexpr std::size_t workers = 4;
/// Requests waiting for a worker; past it a 503 answers.
inline constexpr std::size_t max_queued = 256;
/// Bytes an event stream may have queued for a client that reads slowly.
inline constexpr std::size_t max_stream_backlog = 4 << 20;
/// Connections being refused at once (503 at the cap); past it they are closed.
inline constexpr std::size_t max_refusals = 256;
}  // namespace web

/// The REST gateway (amoc/rest_gateway.hpp).
namespace rest {
/// Largest body of a request that only reads (GET): they take none.
inline constexpr std::size_t max_read_body = 1 << 10;
/// An uploaded plugin is first loaded in a child process, killed after this.
inline constexpr auto trial_load_timeout = 30s;
}  // namespace rest

/// Distributed runs.
namespace dist {
/// How long a master waits for its worker nodes to answer before a run
/// starts on those that are up (`node_wait`).
inline constexpr auto node_wait = 10s;
}  // namespace dist

/// Metrics and their exports (`metrics_interval`, `graphite_*`, `prometheus_*`).
namespace metrics {
/// Between two Graphite reports (and time series samples, when finer than
/// `series_interval`).
inline constexpr auto interval = 10s;
/// The run's time series is sampled at least this often (a 5 s run has five
/// points); past `max_points` neighbouring points merge, so a day-long run
/// stays small.
inline constexpr auto series_interval = 1s;
/// Most points a run's time series keeps before halving its resolution: two
/// hours at 1 s, a day at 16 s (40 bytes per histogram point, 8 per counter point).
inline constexpr std::size_t max_points = 7200;
inline constexpr int graphite_port = 2003;
inline constexpr const char* graphite_prefix = "amoc";
/// Connecting and sending to Graphite give up after this, so a dead carbon
/// never stalls the run's sampling.
inline constexpr auto graphite_timeout = 2s;
/// How long `/metrics` stays up after a run, so the next scrape sees the final
/// values: one scrape interval of Prometheus' sample configuration (15 s) and
/// 5 s for the scrape itself and jitter. Only with `prometheus_port` set.
inline constexpr auto prometheus_linger = 20s;
}  // namespace metrics

/// Scenario plugins (`amoc scenarios build`, loading at start).
namespace plugins {
/// Overrides the plugin folder.
inline constexpr const char* dir_env = "AMOC_PLUGIN_DIR";
/// The plugin folder in the user's data folder ($XDG_DATA_HOME, else ~/.local/share).
inline constexpr const char* dir_in_data_home = "amoc/plugins";
/// Overrides where plugin builds find amoc's headers and flags.
inline constexpr const char* sdk_env = "AMOC_SDK_DIR";
/// Scenario sources `amoc scenarios build` compiles when given no folder.
inline constexpr const char* scenarios_dir = "scenarios";
}  // namespace plugins

}  // namespace amoc::defaults

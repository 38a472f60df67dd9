#pragma once

/// Snapshots of a run: what `status()` returns to the REPL, REST and harnesses.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "amoc/id_range.hpp"

namespace amoc {

/// The controller's life cycle: idle -> running -> terminating -> finished (or error).
enum class run_state : std::uint8_t { idle, running, terminating, finished, error };

/// "idle", "running", "terminating", "finished", "error".
[[nodiscard]] const char* to_string(run_state s);

/// True for the states a run ends in: finished or error.
[[nodiscard]] constexpr bool is_final(run_state s) noexcept {
  return s == run_state::finished || s == run_state::error;
}

/// Users of one node (or of the whole run), by state and by end reason.
struct user_counts {
  std::uint64_t pending = 0;   ///< scheduled, not spawned yet (interarrival)
  std::uint64_t running = 0;   ///< inside an iteration of `start`
  std::uint64_t waiting = 0;   ///< between two iterations (repeat_interval)
  std::uint64_t stopping = 0;  ///< asked to stop gracefully, finishing the iteration
  std::uint64_t started = 0;   ///< spawned since the run began
  /// Ended users, indexed by `amoc::exit` value - 1 (normal, graceful_stop, ...).
  std::array<std::uint64_t, 5> ended{};

  [[nodiscard]] std::uint64_t alive() const noexcept { return running + waiting + stopping; }
  [[nodiscard]] std::uint64_t ended_total() const noexcept;

  template <class Inspector>
  friend auto inspect(Inspector& f, user_counts& x) {
    return f(x.pending, x.running, x.waiting, x.stopping, x.started, x.ended);
  }
};

/// One worker node of a distributed run, as the master sees it.
struct node_status {
  std::string name;     ///< the node's own name (`amoc node --name`, else its address)
  std::string address;  ///< host:port the master connects to
  bool up = false;      ///< connected and answering
  run_state state = run_state::idle;
  std::string scenario;
  std::string error;          ///< the node's run error, or why the master cannot reach it
  user_counts users;          ///< last known counts (kept when the node goes down)
  std::vector<id_range> ids;  ///< the user ids this node was given in this run
  /// The node's counter totals in this run (its last metrics snapshot, with
  /// what it recorded before it was lost): rates and failures per node.
  std::map<std::string, std::uint64_t, std::less<>> counters;

  template <class Inspector>
  friend auto inspect(Inspector& f, node_status& x) {
    return f(x.name, x.address, x.up, x.state, x.scenario, x.error, x.users, x.ids, x.counters);
  }
};

/// A run as the controller sees it: state, scenario, id range, users.
struct status {
  run_state state = run_state::idle;
  std::string scenario;
  std::uint64_t first_id = 0;      ///< first user id of the run
  std::uint64_t next_id = 0;       ///< the id the next `add` starts from
  std::string error;               ///< why the run is in the error state
  user_counts users;               ///< on every node together
  std::string comment;             ///< the distributed run's annotation
  std::vector<node_status> nodes;  ///< worker nodes; empty for a local run

  template <class Inspector>
  friend auto inspect(Inspector& f, status& x) {
    return f(x.state, x.scenario, x.first_id, x.next_id, x.error, x.users, x.comment, x.nodes);
  }
};

}  // namespace amoc

#pragma once

/// Snapshots of a run: what `status()` returns to the REPL, REST and harnesses.

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "amoc/error.hpp"
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

/// Ended users by why they ended (`amoc::exit`): `ended.normal`, or `ended[reason]`.
struct ended_counts {
  std::uint64_t normal = 0;          ///< `repeat_num` iterations done
  std::uint64_t graceful_stop = 0;   ///< removed: finished their iteration
  std::uint64_t forced_stop = 0;     ///< removed with force, or did not stop
  std::uint64_t scenario_error = 0;  ///< the scenario threw or failed
  std::uint64_t node_lost = 0;       ///< their node went away

  [[nodiscard]] std::uint64_t& operator[](exit reason) noexcept;
  [[nodiscard]] std::uint64_t operator[](exit reason) const noexcept;
  [[nodiscard]] std::uint64_t total() const noexcept;
  ended_counts& operator+=(const ended_counts& other) noexcept;

  template <class Inspector>
  friend auto inspect(Inspector& f, ended_counts& x) {
    return f(x.normal, x.graceful_stop, x.forced_stop, x.scenario_error, x.node_lost);
  }
};

/// Users of one node (or of the whole run), by state and by end reason.
struct user_counts {
  std::uint64_t pending = 0;   ///< scheduled, not spawned yet (interarrival)
  std::uint64_t running = 0;   ///< inside an iteration of `start`
  std::uint64_t waiting = 0;   ///< between two iterations (repeat_interval)
  std::uint64_t stopping = 0;  ///< asked to stop gracefully, finishing the iteration
  std::uint64_t started = 0;   ///< spawned since the run began
  ended_counts ended;          ///< ended users by reason

  [[nodiscard]] std::uint64_t alive() const noexcept { return running + waiting + stopping; }
  [[nodiscard]] std::uint64_t ended_total() const noexcept { return ended.total(); }

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

/// "normal 8, forced_stop 2" (reasons with no user left out; "none" when empty).
[[nodiscard]] std::string to_string(const ended_counts& e);
/// "users 10 (running 2, waiting 8, stopping 0), pending 0, started 12, ended 2 (normal 2)".
[[nodiscard]] std::string to_string(const user_counts& u);
/// "a (127.0.0.1:4100): up, running, users ..., ids 1..9" and the node's error on a new line.
[[nodiscard]] std::string to_string(const node_status& n);
/// "running dummy, users ..., next id 11" (just "idle" for an idle run), comment and error.
[[nodiscard]] std::string to_string(const status& st);

std::ostream& operator<<(std::ostream& out, run_state s);
std::ostream& operator<<(std::ostream& out, const ended_counts& e);
std::ostream& operator<<(std::ostream& out, const user_counts& u);
std::ostream& operator<<(std::ostream& out, const node_status& n);
std::ostream& operator<<(std::ostream& out, const status& st);

}  // namespace amoc

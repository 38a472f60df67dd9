#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/expected.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "amoc/actors.hpp"
#include "amoc/status.hpp"
#include "run_context.hpp"
#include "shipped_users.hpp"
#include "spawn_queue.hpp"
#include "user_table.hpp"

namespace amoc::detail {

/// One node's users: spawns them one interarrival apart, removes the newest
/// first, and counts them by state and by end reason.
struct user_supervisor_state {
  static inline const char* name = "amoc.user_supervisor";

  explicit user_supervisor_state(supervisor_api::pointer self) : self(self) {}
  /// Users are not linked to their supervisor (a user's end must not take it
  /// down), so a supervisor that goes away stops its users by force itself.
  ~user_supervisor_state();

  /// Validates the settings, the scenario's variables and the users file (for
  /// `ids`), runs init(), then queues the users of `ids`.
  caf::error start(const std::string& scenario, id_range ids);
  /// Queues the users of `ids`; refused when the users file has no rows for them.
  caf::error add(id_range ids);
  /// Asks the newest n users (pending ones first) to stop; returns how many.
  /// Stop requests go out in batches (see `continue_removal`).
  std::uint64_t remove(std::uint64_t n, bool force);
  /// Sends the next batch of stop requests of the oldest removal request.
  void continue_removal();
  /// Spawns the users that are due and schedules the next tick.
  void spawn_due();
  /// Books the ends the users wrote into the run's end log.
  void book_ends();
  /// Applies a live settings update (JSON object text) and re-reads the run settings.
  caf::error update(const std::string& settings_json);
  /// Runs the scenario's terminate() and forgets the run.
  caf::error finish();

  [[nodiscard]] user_counts counts() const;

  supervisor_api::pointer self;
  config::store* store = nullptr;
  metrics::registry* registry = nullptr;
  control_api listener;
  /// A worker node's rows from its master; nullptr on a node that reads the
  /// users file itself.
  std::shared_ptr<shipped_users> shipped;
  std::shared_ptr<run_context> run;
  spawn_queue pending;
  user_table users;
  std::uint64_t started = 0;
  ended_counts ended;

  /// Built-in metrics: `users.started`, `users.running` (alive), and
  /// `users.ended.<reason>` (every reason, created when the run starts).
  struct user_metrics {
    metrics::counter* started = nullptr;
    metrics::gauge* running = nullptr;
    std::array<metrics::counter*, std::size(all_exit_reasons)> ended{};
    metrics::counter*& ended_by(exit reason) { return ended[static_cast<std::size_t>(reason) - 1]; }
  } user_metrics;
  bool tick_scheduled = false;

  /// A removal request still sending stop requests.
  struct removal {
    std::uint64_t remaining;
    user_table::mark mark;
    caf::actor_id below;  // continue with users older than this
  };
  std::deque<removal> removals;

private:
  /// The run's users-file rows: read here (a local node, rows from the first
  /// id on) or shipped by the master; nullptr without a users file.
  caf::expected<std::shared_ptr<const users::table>> users_for(id_range ids);
  void schedule_tick();
  // The users file's row count on a node that read it (0: shipped, or none).
  std::uint64_t users_rows_ = 0;
  void book_end(caf::actor_id aid, exit reason);
  void notify_if_idle();
  std::vector<end_log::entry> ends_;  // book_ends' buffer, kept for its capacity
};

using user_supervisor_actor = supervisor_api::stateful_pointer<user_supervisor_state>;

supervisor_api::behavior_type user_supervisor(user_supervisor_actor self, config::store* store,
                                              metrics::registry* registry, control_api listener,
                                              std::shared_ptr<shipped_users> shipped);

}  // namespace amoc::detail

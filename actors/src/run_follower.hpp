#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "amoc/run_file.hpp"
#include "amoc/status.hpp"
#include "scenario_hooks.hpp"

namespace amoc {

/// What the executor asks of the node's controller.
class run_commands {
public:
  virtual ~run_commands() = default;
  virtual void stop(bool force) = 0;
  /// Adds n users; in a distributed run `nodes` continue the round-robin by id.
  virtual void add(std::uint64_t n, std::vector<std::string> nodes) = 0;
  virtual void remove(std::uint64_t n) = 0;
};

/// A run's course after its start, one poll at a time: its stages, the
/// scenario's hooks, its duration, interrupts, the graceful then forced stop,
/// and users that do not stop. No actor in here: the executor feeds it the
/// node's answers and carries out its commands, a unit test does the same.
class run_follower {
public:
  using clock_type = std::chrono::steady_clock;
  enum class phase { running, stopping, forcing, ended };

  /// The longest a run waits, after the forced stop, without one user
  /// ending before it ends without them ("N users did not stop").
  static constexpr duration stall_limit = std::chrono::seconds{5};

  run_follower(const run_file& run, std::unique_ptr<scenario_hooks> hooks, bool distributed,
               clock_type::time_point started);

  /// One poll: `answer` is the node's status, or nothing when the node did
  /// not answer in time (its threads may be held); `interrupts` counts stop
  /// requests (Ctrl-C, REST stop, `execution::interrupt`).
  void step(std::optional<status> answer, int interrupts, clock_type::time_point now,
            run_commands& commands);

  [[nodiscard]] phase current() const noexcept { return phase_; }
  /// The node's last answer (`running` until the first).
  [[nodiscard]] const status& last() const noexcept { return last_; }
  [[nodiscard]] clock_type::time_point started() const noexcept { return started_; }

  bool stopped_by_duration = false;
  bool stopped_by_scenario = false;
  bool interrupted = false;
  bool forced = false;

private:
  void note(status answer, clock_type::time_point now);
  void follow_plan(clock_type::time_point now, run_commands& commands);
  void stop(int interrupts, bool scenario_asked, run_commands& commands);
  [[nodiscard]] std::vector<std::string> rotation(std::uint64_t next) const;

  run_file run_;
  std::unique_ptr<scenario_hooks> hooks_;
  bool distributed_;
  clock_type::time_point started_;
  std::optional<clock_type::time_point> deadline_;
  clock_type::time_point grace_until_{};
  std::vector<load_step> steps_;
  std::size_t next_step_ = 1;
  std::uint64_t next_id_ = 0;
  phase phase_ = phase::running;
  status last_;
  std::uint64_t users_left_ = 0;
  bool answered_ = false;
  clock_type::time_point last_progress_;
};

}  // namespace amoc

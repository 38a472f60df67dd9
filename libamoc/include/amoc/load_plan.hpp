#pragma once

/// Ramp plans: how many users a run has over time, as stages in the run file.
///
///   "stages": [{"ramp_to": 100, "over": "10s"}, {"hold": "5s"}, {"ramp_to": 0, "over": "5s"}]
///
/// A ramp starts or stops users evenly over its span (the k-th of n new users
/// at start + span * k / n; the k-th of n removals at start + span * (k+1) / n,
/// newest first and gracefully); a hold keeps the count. Users added later
/// get the next ids. The plan is a value: validated when the run file is
/// read, turned into steps by a pure function, and those steps drive the run,
/// `amoc run --dry-run` and the tests alike.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <nlohmann/json_fwd.hpp>

#include "amoc/config.hpp"

namespace amoc {

/// One stage of a run file's "stages": a ramp to a user count, or a hold.
struct load_stage {
  /// Users at the end of the stage; empty for a hold.
  std::optional<std::uint64_t> ramp_to;
  duration span{};
};

/// A change of the user count at `at` after the run's start.
struct load_step {
  duration at{};
  std::int64_t delta = 0;  ///< > 0: start that many users, < 0: stop that many
};

/// A run's ramp plan: its stages, checked and turned into timed steps.
struct load_plan {
  std::vector<load_stage> stages;

  [[nodiscard]] bool empty() const noexcept { return stages.empty(); }
  /// How long the plan lasts.
  [[nodiscard]] duration total() const;
  /// Ids the plan starts in all (every ramp up takes new ids).
  [[nodiscard]] std::uint64_t ids_needed() const;
  /// The steps in time order; changes within `resolution` of each other are
  /// merged into one step (at the earliest one's time).
  [[nodiscard]] std::vector<load_step> steps(duration resolution = std::chrono::milliseconds{
                                               10}) const;
};

/// Reads and validates "stages"; errors (`ec::bad_run_file`) name `origin` and
/// the stage ("stage 2: ..."). The first stage must start users.
[[nodiscard]] caf::expected<load_plan> parse_stages(const nlohmann::json& stages,
                                                    const std::string& origin);

}  // namespace amoc

#pragma once

// Everything a run would refuse, found before it starts and reported all at
// once: `amoc check`, `amoc run --dry-run` and `amoc run` itself.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/error.hpp>
#include <nlohmann/json.hpp>

#include "amoc/config.hpp"
#include "amoc/run_file.hpp"

namespace amoc::cli {

/// One thing wrong with a run, and the field it is about ("users",
/// "settings.repeat_num", "AMOC_interarrival", "thresholds.xmpp.ttd").
struct run_problem {
  std::string field;
  caf::error error;
};

struct run_check_options {
  std::optional<std::string> config_file;  ///< --config
  /// Also the thresholds' metric names (`amoc check`, --dry-run): a run
  /// itself only finds at its end that a metric was never recorded.
  bool metric_names = false;
  /// Also a distributed run's link security (certificates readable, or
  /// node_insecure): `amoc check`. A dry run prints the plan of a run file
  /// that names nodes without them; a run checks them when it connects.
  bool node_links = false;
  /// Also read the users file through (`amoc check`, --dry-run): well-formed,
  /// and a row for every user id. A run reads it when it starts.
  bool users_file = false;
};

/// The run file, when it parsed, and every problem found.
struct checked_run {
  std::optional<run_file> run;
  std::vector<run_problem> problems;
};

/// Reads the run file at `path`, loads the config into `store` and applies
/// the run's settings there (as the run does), and checks: the file's fields
/// (each on its own, so one bad field does not hide the next), the scenario,
/// the settings' names and values by their declared rules, the node links of
/// a distributed run, and with `metric_names` the thresholds' metric names.
[[nodiscard]] checked_run check_run(const std::string& path, config::store& store,
                                    const run_check_options& opts);

/// The problems of the run file's JSON document, field by field; `origin`
/// names it in the messages.
[[nodiscard]] std::vector<run_problem> run_file_problems(const nlohmann::json& doc,
                                                         const std::string& origin);

/// Problems of the thresholds' metric names: their syntax, names under
/// `users.` that the runtime does not record, and for a built-in scenario
/// names it never records (a plugin's metrics are not known).
[[nodiscard]] std::vector<run_problem> metric_name_problems(const run_file& run);

/// Prints "amoc COMMAND: PATH: N problem(s):" and each problem on its own
/// line (a single one on the first); returns the exit code (`bad_input` for
/// a bad file or setting).
int report_problems(std::string_view command, const std::string& path,
                    const std::vector<run_problem>& problems);

}  // namespace amoc::cli

#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "amoc/crash_guard.hpp"
#include "amoc/run_file.hpp"
#include "amoc/run_result.hpp"

namespace amoc::cli {

/// What `amoc run` has measured so far, kept on disk by the run (every
/// progress interval) so that its guard can report it when scenario code
/// crashes the process: the summary text and the result document.
class run_snapshot {
public:
  /// A fresh private file; none (and nothing kept) if it cannot be made.
  run_snapshot();
  /// Removes the file.
  ~run_snapshot();
  run_snapshot(const run_snapshot&) = delete;
  run_snapshot& operator=(const run_snapshot&) = delete;

  /// Replaces what is kept (in the run's process). The document holds the
  /// whole series, so it grows with the run: once writing it takes long, it
  /// is written less often (at most ~2% of a core), every call otherwise.
  void keep(const run_file& run, const run_result& so_far) const;

  /// After a crash (in the guard): prints the report and the last summary,
  /// hands `write_outputs` the result with the crash and the lost users
  /// booked (for --out, --report, --junit, --csv), and returns the exit code.
  int report_crash(const crash::report& crash,
                   const std::function<void(const nlohmann::json&)>& write_outputs) const;

private:
  std::string path_;
  mutable std::chrono::steady_clock::time_point next_keep_{};  // the run's thread only
};

}  // namespace amoc::cli

#pragma once

#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "amoc/config.hpp"
#include "amoc/log.hpp"
#include "amoc/metrics_snapshot.hpp"
#include "amoc/status.hpp"

namespace amoc::cli {

/// One line: state, elapsed time, users by state, ended users, and `extra`
/// (rates and failures).
[[nodiscard]] std::string progress_line(const status& st, duration elapsed,
                                        std::string_view extra = {});

/// Message and request rates since the previous call, and the failures so
/// far: "  sent 1.2k/s  recv 1.2k/s  failures 3" (empty when none is recorded).
class rate_meter {
public:
  [[nodiscard]] std::string part(const metrics::snapshot& now, duration elapsed);

private:
  std::map<std::string, std::uint64_t, std::less<>> previous_;
  duration previous_at_{};
};

/// Prints progress lines: redrawn in place on a terminal, one per call
/// otherwise. With a metrics source (this node's, or a master's merged view
/// of its nodes), each line also shows message and request rates since the
/// previous line and the failures so far. On a terminal it owns the log
/// while it lives: a log line clears the progress line, is written on its
/// own, and the progress line is drawn again below it.
class progress_printer {
public:
  using metrics_source = std::function<metrics::snapshot()>;

  /// `terminal`: redraw in place (by default when `out` is a terminal).
  explicit progress_printer(std::FILE* out, metrics_source metrics = {});
  progress_printer(std::FILE* out, metrics_source metrics, bool terminal);
  ~progress_printer();
  progress_printer(const progress_printer&) = delete;
  progress_printer& operator=(const progress_printer&) = delete;

  void operator()(const status& st, duration elapsed);

private:
  [[nodiscard]] std::string metrics_part(duration elapsed);
  void log_above(log::level lvl, std::string_view text);

  std::FILE* out_;
  bool tty_;
  metrics_source metrics_;
  rate_meter rates_;
  std::mutex mutex_;   // the progress line and log lines, from different threads
  std::string drawn_;  // the progress line on the screen (none: empty)
};

}  // namespace amoc::cli

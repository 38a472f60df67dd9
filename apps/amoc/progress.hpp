#pragma once

#include <cstdio>
#include <string>

#include "amoc/config.hpp"
#include "amoc/run_file.hpp"
#include "amoc/status.hpp"

namespace amoc::cli {

/// One line: state, users by state, ended users and elapsed time.
[[nodiscard]] std::string progress_line(const status& st, duration elapsed);

/// Prints progress lines: redrawn in place on a terminal, one per call otherwise.
class progress_printer {
public:
  explicit progress_printer(std::FILE* out);
  ~progress_printer();
  void operator()(const status& st, duration elapsed);

private:
  std::FILE* out_;
  bool tty_;
  bool pending_newline_ = false;
};

/// The end-of-run summary: final state, users started and ended by reason.
[[nodiscard]] std::string summary(const run_file& run, const run_result& result);

}  // namespace amoc::cli

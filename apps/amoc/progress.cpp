#include "progress.hpp"

#include <chrono>
#include <cstdio>
#include <sstream>

#include <unistd.h>

#include "amoc/error.hpp"

namespace amoc::cli {

namespace {

double seconds(duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

std::string progress_line(const status& st, duration elapsed) {
  const auto& u = st.users;
  char line[256];
  std::snprintf(
    line, sizeof line,
    "%-11s %7.1fs  users %llu (running %llu, waiting %llu, stopping %llu)"
    "  pending %llu  started %llu  ended %llu",
    to_string(st.state), seconds(elapsed), static_cast<unsigned long long>(u.alive()),
    static_cast<unsigned long long>(u.running), static_cast<unsigned long long>(u.waiting),
    static_cast<unsigned long long>(u.stopping), static_cast<unsigned long long>(u.pending),
    static_cast<unsigned long long>(u.started), static_cast<unsigned long long>(u.ended_total()));
  return line;
}

progress_printer::progress_printer(std::FILE* out) : out_(out), tty_(isatty(fileno(out)) == 1) {}

progress_printer::~progress_printer() {
  if (pending_newline_)
    std::fputc('\n', out_);
}

void progress_printer::operator()(const status& st, duration elapsed) {
  const auto line = progress_line(st, elapsed);
  if (tty_) {
    // \r plus clear-to-end-of-line redraws the line in place.
    std::fprintf(out_, "\r\033[K%s", line.c_str());
    pending_newline_ = true;
  } else {
    std::fprintf(out_, "%s\n", line.c_str());
  }
  std::fflush(out_);
}

std::string summary(const run_file& run, const run_result& result) {
  const auto& st = result.final_status;
  std::ostringstream out;
  out << "\nrun " << to_string(st.state) << ": scenario " << run.scenario << ", users "
      << run.first_id << ".." << (st.next_id ? st.next_id - 1 : run.last_id) << ", wall time "
      << std::fixed;
  out.precision(2);
  out << seconds(result.wall_time) << " s\n";
  if (!st.error.empty())
    out << "  error: " << st.error << "\n";
  if (result.stopped_by_duration || result.interrupted)
    out << (result.interrupted ? "  interrupted" : "  duration reached") << ": users were stopped"
        << (result.forced ? " by force" : " gracefully") << "\n";
  out << "  users started: " << st.users.started << "\n  users ended:  ";
  for (auto reason : all_exit_reasons)
    out << " " << to_string(reason) << " " << st.users.ended[static_cast<std::size_t>(reason) - 1];
  out << "\n";
  return out.str();
}

}  // namespace amoc::cli

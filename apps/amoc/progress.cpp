#include "progress.hpp"

#include <chrono>
#include <cstdio>

#include <unistd.h>

#include "amoc/metrics_format.hpp"
#include "amoc/metrics_snapshot.hpp"

namespace amoc::cli {

namespace {

double seconds(duration d) { return std::chrono::duration<double>(d).count(); }

// The counters whose rate the line shows, when a scenario records them.
constexpr std::pair<std::string_view, std::string_view> rate_counters[] = {
  {"xmpp.messages_sent", "sent"},
  {"xmpp.messages_received", "recv"},
  {"http.requests", "req"},
};

}  // namespace

std::string progress_line(const status& st, duration elapsed, std::string_view extra) {
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
  return std::string{line} + std::string{extra};
}

progress_printer::progress_printer(std::FILE* out, metrics_source metrics)
    : progress_printer(out, std::move(metrics), isatty(fileno(out)) == 1) {}

progress_printer::progress_printer(std::FILE* out, metrics_source metrics, bool terminal)
    : out_(out), tty_(terminal), metrics_(std::move(metrics)) {
  if (tty_)
    log::set_sink([this](log::level lvl, std::string_view text) { log_above(lvl, text); });
}

progress_printer::~progress_printer() {
  if (!tty_)
    return;
  log::set_sink({});
  if (!drawn_.empty())
    std::fputc('\n', out_);
}

void progress_printer::log_above(log::level lvl, std::string_view text) {
  std::lock_guard guard{mutex_};
  std::fprintf(out_, "\r\033[K%s%s", log::format_line(lvl, text).c_str(), drawn_.c_str());
  std::fflush(out_);
}

std::string rate_meter::part(const metrics::snapshot& now, duration elapsed) {
  const double span = seconds(elapsed - previous_at_);
  std::string part;
  for (auto [name, label] : rate_counters) {
    auto it = now.counters.find(name);
    if (it == now.counters.end())
      continue;
    auto before = previous_.find(name);
    const auto delta =
      it->second - (before == previous_.end() || before->second > it->second ? 0 : before->second);
    part += "  " + std::string{label} + " "
            + metrics::format_rate(span > 0 ? static_cast<double>(delta) / span : 0.0) + "/s";
  }
  std::uint64_t failures = 0;
  bool any_failure_counter = false;
  for (const auto& [name, value] : now.counters)
    if (metrics::is_failure(name)) {
      any_failure_counter = true;
      failures += value;
    }
  if (any_failure_counter)
    part += "  failures " + metrics::format_count(failures);
  previous_ = now.counters;
  previous_at_ = elapsed;
  return part;
}

std::string progress_printer::metrics_part(duration elapsed) {
  if (!metrics_)
    return {};
  return rates_.part(metrics_(), elapsed);
}

void progress_printer::operator()(const status& st, duration elapsed) {
  auto line = progress_line(st, elapsed, metrics_part(elapsed));
  std::lock_guard guard{mutex_};
  if (tty_) {
    // \r plus clear-to-end-of-line redraws the line in place.
    std::fprintf(out_, "\r\033[K%s", line.c_str());
    drawn_ = std::move(line);
  } else {
    std::fprintf(out_, "%s\n", line.c_str());
  }
  std::fflush(out_);
}

}  // namespace amoc::cli

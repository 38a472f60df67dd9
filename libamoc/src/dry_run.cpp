#include <algorithm>
#include <cstdio>
#include <functional>
#include <sstream>

#include "amoc/id_range.hpp"
#include "amoc/run_file.hpp"
#include "amoc/settings.hpp"

namespace amoc {

namespace {

// A long schedule shows its first and last lines; the counts below it say the rest.
constexpr std::uint64_t head_lines = 20;
constexpr std::uint64_t tail_lines = 10;

// Seconds as a double: a trillion users one interarrival apart is past what
// a duration (int64 nanoseconds, 292 years) can hold.
std::string seconds(double s) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "+%.3fs", s);
  return buf;
}

double seconds_of(duration d) { return std::chrono::duration<double>(d).count(); }

std::string in_days(double s) {
  if (s < 86400)
    return "";
  char buf[48];
  std::snprintf(buf, sizeof buf, " (%.1f days)", s / 86400);
  return buf;
}

// Node k of m gets the ids first + k, first + k + m, ... of `count` ids.
id_range share_of(std::uint64_t first, std::uint64_t count, std::size_t k, std::size_t m) {
  return {first + k, count / m + (k < count % m ? 1 : 0), m};
}

// "4 -> a, 5 -> b" for a few ids, "4..100/3 -> a, 5..98/3 -> b" for many.
std::string placement(std::uint64_t first_of_run, std::uint64_t first, std::uint64_t count,
                      const std::vector<std::string>& nodes) {
  const auto m = nodes.size();
  std::string text;
  for (std::size_t k = 0; k < std::min<std::uint64_t>(m, count); ++k) {
    const auto share = share_of(first, count, k, m);
    const auto& node = nodes[(share.first - first_of_run) % m];
    text += (text.empty() ? "" : ", ")
            + (share.count == 1 ? std::to_string(share.first) : to_string(share)) + " -> " + node;
  }
  return text;
}

// Prints lines 0..count-1 of a schedule, asking `line(i)` only for the ones
// shown: the first `head_lines` and the last `tail_lines`.
void print_schedule(std::ostringstream& out, std::uint64_t count,
                    const std::function<std::string(std::uint64_t)>& line) {
  const bool cut = count > head_lines + tail_lines;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (cut && i == head_lines) {
      out << "  ... " << count - head_lines - tail_lines << " more lines ...\n";
      i = count - tail_lines;
    }
    out << "  " << line(i) << "\n";
  }
}

void print_nodes(std::ostringstream& out, const run_file& run, std::uint64_t ids,
                 const std::vector<std::string>& nodes) {
  out << "users per node:";
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const auto share = share_of(run.first_id, ids, k, nodes.size());
    out << (k == 0 ? " " : ", ") << nodes[k] << " " << share.count;
    if (share.count > 1)
      out << " (" << to_string(share) << ")";
  }
  out << "\n";
}

// With stages the steps drive the schedule: one line per step.
void print_stages(std::ostringstream& out, const run_file& run,
                  const std::vector<std::string>& nodes) {
  const auto steps = run.stages.steps();
  std::vector<std::uint64_t> next_id(steps.size());
  std::uint64_t next = run.first_id;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    next_id[i] = next;
    if (steps[i].delta > 0)
      next += static_cast<std::uint64_t>(steps[i].delta);
  }
  print_schedule(out, steps.size(), [&](std::uint64_t i) {
    const auto& step = steps[i];
    const auto at = seconds(seconds_of(step.at)) + "  ";
    if (step.delta < 0)
      return at + "stop the newest " + std::to_string(-step.delta) + " (gracefully)";
    const auto n = static_cast<std::uint64_t>(step.delta);
    return at + "start " + std::to_string(n) + ": " + placement(run.first_id, next_id[i], n, nodes);
  });
  out << steps.size() << " steps\n";
}

// Without stages every node spawns its share of the ids one interarrival
// apart: line i starts ids first + i*m .. (m at most), computed, not listed.
void print_interarrival(std::ostringstream& out, const run_file& run,
                        const std::vector<std::string>& nodes, duration interarrival) {
  const auto m = nodes.size();
  const auto count = run.last_id - run.first_id + 1;
  const auto lines = count / m + (count % m ? 1 : 0);
  const auto every = seconds_of(interarrival);
  print_schedule(out, lines, [&](std::uint64_t i) {
    const auto first = run.first_id + i * m;
    const auto n = std::min<std::uint64_t>(m, count - i * m);
    return seconds(every * static_cast<double>(i)) + "  start " + std::to_string(n) + ": "
           + placement(run.first_id, first, n, nodes);
  });
  const auto last = every * static_cast<double>(lines - 1);
  out << lines << " starts, the last at " << seconds(last) << in_days(last) << "\n";
}

std::string describe(const load_stage& s, std::uint64_t& users) {
  if (!s.ramp_to)
    return "hold for " + to_string(s.span);
  auto text = "ramp to " + std::to_string(*s.ramp_to) + " users over " + to_string(s.span);
  if (*s.ramp_to > users)
    text += " (starts " + std::to_string(*s.ramp_to - users) + ")";
  else
    text += " (stops " + std::to_string(users - *s.ramp_to) + ")";
  users = *s.ramp_to;
  return text;
}

}  // namespace

std::string dry_run(const run_file& run, config::store& store) {
  // The defaults of interarrival and user_rate, as a run would declare them.
  store.declare(builtin_variables());
  auto nodes = run.nodes;
  if (nodes.empty())
    nodes = store.get<std::vector<std::string>>("nodes", {});
  const bool local = nodes.empty();
  if (local)
    nodes = {"local"};
  store.set("node_count", static_cast<std::int64_t>(nodes.size()));
  const auto interarrival = node_interarrival(store);
  std::ostringstream out;
  out << "scenario " << run.scenario << ": users " << run.first_id << ".." << run.last_id
      << (local ? " on this node" : " over " + std::to_string(nodes.size()) + " node(s)");
  if (run.max_duration)
    out << ", duration " << to_string(*run.max_duration);
  out << "\n";
  if (run.stages.empty()) {
    if (interarrival == duration::zero())
      out << "pace: all at once (interarrival 0), as fast as the node spawns them";
    else
      out << "pace: one user every " << to_string(interarrival) << " per node";
    if (store.get<double>("user_rate", 0.0) > 0)
      out << " (user_rate " << store.get<double>("user_rate") << "/min over the cluster)";
    out << "\n";
    print_interarrival(out, run, nodes, interarrival);
    print_nodes(out, run, run.last_id - run.first_id + 1, nodes);
    return out.str();
  }
  std::uint64_t users = 0;
  for (std::size_t i = 0; i < run.stages.stages.size(); ++i)
    out << "stage " << i + 1 << ": " << describe(run.stages.stages[i], users) << "\n";
  out << "the plan ends at " << seconds(seconds_of(run.stages.total()))
      << (run.stages.stages.back().ramp_to == std::optional<std::uint64_t>{0}
            ? " with no user left"
            : ", then the remaining users stop gracefully")
      << "\n";
  print_stages(out, run, nodes);
  print_nodes(out, run, run.stages.ids_needed(), nodes);
  return out.str();
}

}  // namespace amoc
